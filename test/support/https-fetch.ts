// A small HTTPS client for tests that trusts the relay's local CA, never follows redirects by itself,
// and keeps cookies like a browser (per host, path-scoped), so tests can walk real sign-in flows.
import { request } from 'node:https';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  location: string | undefined;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A form body (urlencoded) or a raw string. */
  form?: Record<string, string>;
  body?: string;
  /** The client's own address (e.g. 127.0.0.2): another person on another network, as the relay sees it. */
  localAddress?: string;
}

export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '').getTime() < Date.now())
        || attrs.some((a) => /^\s*max-age=0\b/i.test(a));
      const key = `${name};${path}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  header(path: string): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.split(';')[0]}=${c.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    for (const [key, c] of this.cookies) if (key.split(';')[0] === name) return c.value;
    return undefined;
  }

  /** Every cookie held, by name (a name set on two paths appears twice). */
  entries(): [name: string, value: string][] {
    return [...this.cookies].map(([key, c]) => [key.split(';')[0]!, c.value]);
  }
}

export function httpsRequest(url: string, ca: string, options: RequestOptions = {}, jar?: CookieJar): Promise<HttpsResponse> {
  const target = new URL(url);
  const body = options.form ? new URLSearchParams(options.form).toString() : options.body;
  const headers: Record<string, string> = {
    ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    ...options.headers,
  };
  const cookie = jar?.header(target.pathname);
  if (cookie) headers.cookie = cookie;
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: options.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ca, ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        jar?.store(res.headers['set-cookie']);
        const location = res.headers.location ? new URL(res.headers.location, target).href : undefined;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), location });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The first form of an HTML page: its action (absolute) and its named inputs with their values. */
export function parseForm(html: string, baseUrl: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = attr(form[0], 'action') ?? baseUrl;
  const fields: Record<string, string> = {};
  for (const input of form[1]!.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (name) fields[name] = attr(input, 'value') ?? '';
  }
  return { action: new URL(action, baseUrl).href, fields };
}

/** The text of the page's role="alert" element, if any (how our pages show an error). */
export function alertText(html: string): string | undefined {
  const m = /<[^>]+role="alert"[^>]*>([\s\S]*?)<\//i.exec(html);
  return m ? decodeEntities(m[1]!.replace(/<[^>]+>/g, '').trim()) : undefined;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m ? decodeEntities(m[1]!) : undefined;
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
