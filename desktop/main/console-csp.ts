// The console page's Content-Security-Policy, shared by both shells: scripts only from the app's own
// bundle, no plugins, no framing, no form posts, no <base> tricks. Styles allow inline because Lit
// templates may carry style attributes; scripts never do.
export function consoleCsp(opts: { connectSrc: string[]; relayOrigin: string }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${opts.relayOrigin}`,
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${opts.connectSrc.join(' ')}`.trim(),
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
