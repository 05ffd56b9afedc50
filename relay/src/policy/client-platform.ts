// The platform a conditional-access rule can name, from the client's User-Agent. Only a hint: a
// browser can claim anything, which is why a device's platform, once it proved its key, wins over this.

const patterns: [RegExp, string][] = [
  [/Windows NT|Windows/i, 'Windows'],
  [/iPhone|iPad|iPod/i, 'iOS'],
  [/Mac OS X|Macintosh/i, 'macOS'],
  [/Android/i, 'Android'],
  [/CrOS/i, 'ChromeOS'],
  [/Linux|X11/i, 'Linux'],
];

export function platformFromUserAgent(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  return patterns.find(([re]) => re.test(userAgent))?.[1] ?? null;
}
