// The receipt as a file the sharer keeps: one small self-contained HTML page. HTML rather than PDF: no
// dependency to make it, it opens in every browser and mail client, it is text (searchable, readable by
// a screen reader, in any script and direction), and a few kB. Self-contained: styles inside, no script,
// nothing fetched; a Content-Security-Policy that forbids both, in case a value ever slipped through
// unescaped. Every value from the relay or the directory is escaped.
import type { SessionReceipt } from '#protocol/receipt.js';
import { receiptLines, receiptNote, receiptTitle } from './receipt-lines.js';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => entities[c]!);

const style = `body{font-family:system-ui,sans-serif;line-height:1.5;margin:2rem;color:#1b1b1f;background:#fff}
main{max-inline-size:40rem}h1{font-size:1.4rem}dt{font-weight:600;margin-block-start:1rem}dd{margin-inline-start:0}
.id{font-family:ui-monospace,monospace;overflow-wrap:anywhere}.note{margin-block-start:2rem;color:#555;font-size:.9rem}`;

export interface ReceiptFile {
  name: string;
  html: string;
}

/** The file, in the language and direction the page has now. */
export function receiptFile(r: SessionReceipt, page: { lang: string; dir: 'ltr' | 'rtl' }): ReceiptFile {
  const lines = receiptLines(r, page.lang || undefined);
  const title = receiptTitle();
  const items = lines.map((l) => `<dt>${escapeHtml(l.label)}</dt>${l.values
    .map((v) => `<dd${l.key === 'report' ? ' class="id"' : ''} dir="auto">${escapeHtml(v)}</dd>`).join('')}`).join('\n');
  const html = `<!doctype html>
<html lang="${escapeHtml(page.lang || 'en')}" dir="${page.dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<dl>
${items}
</dl>
<p class="note">${escapeHtml(receiptNote())}</p>
</main>
</body>
</html>
`;
  return { name: receiptFileName(r), html };
}

/** remote-help-receipt-<date the session ended, YYYY-MM-DD in the browser's time zone>-<short id>.html */
export function receiptFileName(r: SessionReceipt): string {
  const d = new Date(r.endedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = Number.isNaN(d.getTime()) ? 'undated' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const short = (r.reportId ?? r.sessionId).replace(/[^0-9a-zA-Z]/g, '').slice(0, 8).toLowerCase() || 'session';
  return `remote-help-receipt-${date}-${short}.html`;
}
