// Checks the IP ranges an admin types for a conditional-access rule (one CIDR per line) before they
// are sent, so a typo is shown beside the box instead of as a refusal from the relay.

function ipv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function ipv6(text: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(text)) return false;
  const doubled = text.split('::');
  if (doubled.length > 2) return false;
  // An embedded IPv4 tail counts as two groups.
  let groups = 0;
  for (const side of doubled) {
    if (side === '') continue;
    const parts = side.split(':');
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes('.')) {
        if (!ipv4(p)) return false;
        groups += 2;
      } else if (/^[0-9a-f]{1,4}$/i.test(p)) groups += 1;
      else return false;
    }
  }
  return doubled.length === 2 ? groups < 8 : groups === 8;
}

/** "10.0.0.0/8", "2001:db8::/32"; a bare address counts as a single-host range. */
export function isCidr(text: string): boolean {
  const [address, prefix, extra] = text.trim().split('/');
  if (extra !== undefined || !address) return false;
  const v4 = ipv4(address);
  if (!v4 && !ipv6(address)) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

/** Non-empty lines of a text box, trimmed. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}

/** The lines that are not valid CIDR ranges. */
export function invalidCidrs(text: string): string[] {
  return lines(text).filter((l) => !isCidr(l));
}
