// One page of resources as a SCIM ListResponse (RFC 7644 §3.4.2), from the database's own page when an
// index answered the query, or from every resource of the tenant filtered here.
import { schemaUris } from './attributes.js';
import type { ListQuery } from './list-query.js';

export interface ListResponse {
  schemas: [typeof schemaUris.listResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Record<string, unknown>[];
}

export function listResponse(total: number, startIndex: number, resources: Record<string, unknown>[]): ListResponse {
  return { schemas: [schemaUris.listResponse], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/**
 * The page `query` asks for. `page` reads one page from the database (an equality on an index, or no
 * filter); `all` reads every resource, for a filter the database does not answer.
 */
export async function pageOf<K extends string>(
  query: ListQuery<K>,
  page: (key: ListQuery<K>['key']) => Promise<{ total: number; resources: Record<string, unknown>[] }>,
  all: () => Promise<Record<string, unknown>[]>,
): Promise<ListResponse> {
  if (!query.test) {
    const { total, resources } = await page(query.key);
    return listResponse(total, query.startIndex, resources);
  }
  const matching = (await all()).filter(query.test);
  return listResponse(matching.length, query.startIndex, matching.slice(query.offset, query.offset + query.limit));
}
