// A profile picture for demo users: initials on a colour picked from the name, as a data: URL,
// so the trust screen has a real image without any file or network access.
import { createHash } from 'node:crypto';

const palette = ['#0f6cbd', '#8764b8', '#038387', '#c239b3', '#ca5010', '#498205', '#4f6bed', '#b146c2'];

export function initialsAvatar(name: string): string {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => [...part][0]!.toUpperCase())
    .slice(0, 2)
    .join('');
  const colour = palette[createHash('sha256').update(name).digest()[0]! % palette.length]!;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<circle cx="48" cy="48" r="48" fill="${colour}"/>` +
    `<text x="48" y="48" dy=".35em" text-anchor="middle" font-family="Segoe UI, Arial, sans-serif" ` +
    `font-size="38" font-weight="600" fill="#fff">${escapeXml(initials)}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
