// A safety net under every link in the console: a click on a link to another site (the session link
// in <rh-security-code>, a sign-in page) opens it in a new tab (in Electron: the system browser, by
// the window's open handler), never in the console's own window, whose page — and the session on it —
// would be gone. Links inside shadow roots count too: the click's composed path is read.

export type LinkClick = { kind: 'ours' } | { kind: 'new-tab'; url: string } | { kind: 'nowhere' };

/** What a click on a link to `href` does from a page at `pageOrigin`: our own links (hashes, our blobs)
 * behave as links do; a web page elsewhere opens in a new tab; anything else (file:, mailto:, not a URL)
 * goes nowhere. */
export function linkClick(href: string, pageOrigin: string): LinkClick {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return { kind: 'nowhere' };
  }
  if (u.origin === pageOrigin) return { kind: 'ours' };
  return u.protocol === 'https:' || u.protocol === 'http:' ? { kind: 'new-tab', url: u.href } : { kind: 'nowhere' };
}

/** Keeps the console's window on its page. Returns the remover. */
export function keepExternalLinksOut(win: Window): () => void {
  const onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented) return;
    const anchor = e.composedPath().find((t): t is HTMLAnchorElement => t instanceof HTMLAnchorElement && t.hasAttribute('href'));
    if (!anchor || anchor.hasAttribute('download')) return;
    const click = linkClick(anchor.href, win.location.origin);
    if (click.kind === 'ours') return;
    e.preventDefault();
    if (click.kind === 'new-tab') win.open(click.url, '_blank', 'noopener,noreferrer');
  };
  win.document.addEventListener('click', onClick);
  return () => win.document.removeEventListener('click', onClick);
}
