// A best guess of this device's platform and OS version from what the browser tells (User-Agent Client
// Hints where there are any, else the User-Agent string), to prefill the enrollment form.
import type { DeviceProperties } from '#protocol/policy.js';

interface UaData {
  platform?: string;
  getHighEntropyValues?(hints: string[]): Promise<{ platform?: string; platformVersion?: string }>;
}

export async function guessPlatform(nav: Navigator): Promise<Pick<DeviceProperties, 'platform' | 'osVersion'>> {
  const ua = nav.userAgent;
  const fromUa = /Windows NT ([\d.]+)/.exec(ua)
    ? { platform: 'Windows', osVersion: /Windows NT ([\d.]+)/.exec(ua)?.[1] ?? '' }
    : /Mac OS X ([\d_]+)/.exec(ua)
      ? { platform: 'macOS', osVersion: (/Mac OS X ([\d_]+)/.exec(ua)?.[1] ?? '').replace(/_/g, '.') }
      : /Android ([\d.]+)/.exec(ua)
        ? { platform: 'Android', osVersion: /Android ([\d.]+)/.exec(ua)?.[1] ?? '' }
        : /CrOS/.test(ua)
          ? { platform: 'Chrome OS', osVersion: '' }
          : /Linux/.test(ua)
            ? { platform: 'Linux', osVersion: '' }
            : { platform: '', osVersion: '' };
  const uaData = (nav as Navigator & { userAgentData?: UaData }).userAgentData;
  try {
    const high = await uaData?.getHighEntropyValues?.(['platform', 'platformVersion']);
    // Windows reports a UA-CH platform version (e.g. 15.0.0 for Windows 11), not the build number the
    // compliance policy speaks of: keep the User-Agent's NT version there and let the user correct it.
    if (high?.platform && high.platform !== 'Windows') {
      return { platform: high.platform, osVersion: high.platformVersion || fromUa.osVersion };
    }
  } catch {
    // Client hints refused: the User-Agent guess stands.
  }
  return fromUa;
}
