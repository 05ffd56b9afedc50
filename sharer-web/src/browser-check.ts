// Whether this browser can share a screen with us. Checked before sign-in, so nobody signs in only
// to learn that their browser cannot do it. Oldest versions supported: Safari 16.4.1, Chrome and
// Edge 109, Firefox 122.
export type BrowserCheck =
  | { supported: true }
  | { supported: false; reason: 'no-screen-sharing' }
  | { supported: false; reason: 'too-old'; browser: string; version: string; minimum: string };

const minimums: Array<{ browser: string; pattern: RegExp; minimum: number[] }> = [
  // Order matters: Edge and Opera also say "Chrome/", Chrome also says "Safari/".
  { browser: 'Edge', pattern: /\bEdg(?:e|A|iOS)?\/(\d+(?:\.\d+)*)/, minimum: [109] },
  { browser: 'Firefox', pattern: /\bFirefox\/(\d+(?:\.\d+)*)/, minimum: [122] },
  { browser: 'Chrome', pattern: /\b(?:Chrome|Chromium)\/(\d+(?:\.\d+)*)/, minimum: [109] },
  { browser: 'Safari', pattern: /\bVersion\/(\d+(?:\.\d+)*).*\bSafari\//, minimum: [16, 4, 1] },
];

function atLeast(version: number[], minimum: number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const v = version[i] ?? 0;
    const m = minimum[i] ?? 0;
    if (v !== m) return v > m;
  }
  return true;
}

export function checkBrowser(userAgent: string, hasGetDisplayMedia: boolean): BrowserCheck {
  if (!hasGetDisplayMedia) return { supported: false, reason: 'no-screen-sharing' };
  for (const { browser, pattern, minimum } of minimums) {
    const match = pattern.exec(userAgent);
    if (!match?.[1]) continue;
    const version = match[1].split('.').map(Number);
    if (atLeast(version, minimum)) return { supported: true };
    return { supported: false, reason: 'too-old', browser, version: match[1], minimum: minimum.join('.') };
  }
  // An unknown browser that has getDisplayMedia gets the benefit of the doubt.
  return { supported: true };
}

export function checkThisBrowser(win: Window): BrowserCheck {
  const md = win.navigator.mediaDevices as MediaDevices | undefined;
  return checkBrowser(win.navigator.userAgent, typeof md?.getDisplayMedia === 'function');
}
