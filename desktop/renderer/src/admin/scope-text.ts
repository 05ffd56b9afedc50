// Short readable forms of what the admin tables show in a cell.
import { msg } from '@lit/localize';

/** A scope list: '*' is "All". */
export function groupsText(list: string[], all: string): string {
  if (list.includes('*')) return all;
  return list.length ? list.join(', ') : msg('None');
}
