// What the relay reads from Microsoft Graph for an Entra tenant: the profile shown on the trust screen
// (name, job title, company, photo), the tenant's verified domains (is the UPN's domain one of them),
// and the names of the user's groups (roles map from them). Every answer is checked against a schema
// before it is believed; every failure is an Ack with a code, never a throw.
// https://learn.microsoft.com/graph/api/user-get  https://learn.microsoft.com/graph/api/profilephoto-get
// https://learn.microsoft.com/graph/api/organization-list  https://learn.microsoft.com/graph/api/user-list-transitivememberof
import { z } from 'zod';
import { fail, ok, type Ack } from '#protocol';
import type { Log } from '../../ports.js';
import { createHttpsFetch } from '../../net/https-fetch.js';
import { createAppToken } from './app-token.js';
import { createGraphGet, type GraphResponse, type Sleep } from './graph-request.js';

export interface GraphUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  companyName: string | null;
  accountEnabled: boolean | null;
}

export interface GraphClient {
  user(userId: string, signal?: AbortSignal): Promise<Ack<GraphUser>>;
  /** null when the user has no photo. */
  photo(userId: string, signal?: AbortSignal): Promise<Ack<{ contentType: string; bytes: Buffer } | null>>;
  /** The tenant's verified domain names, lower-case. */
  verifiedDomains(signal?: AbortSignal): Promise<Ack<string[]>>;
  /** The display names of every group the user is in, directly or through other groups. */
  groupNames(userId: string, signal?: AbortSignal): Promise<Ack<string[]>>;
}

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  graphUrl: string;
  /** Extra PEMs trusted beside the system's. */
  ca: string[];
  log: Log;
  maxRetries?: number;
  sleep?: Sleep;
}

// accountEnabled and companyName are not in Graph's default set: they come only when selected.
const userSelect = 'id,displayName,userPrincipalName,mail,jobTitle,companyName,accountEnabled';
const userSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable(),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  companyName: z.string().nullable().optional(),
  accountEnabled: z.boolean().nullable().optional(),
});
const organizationSchema = z.object({
  value: z.array(z.object({ verifiedDomains: z.array(z.object({ name: z.string().min(1) })) })),
});
const membershipPage = z.object({
  value: z.array(z.object({ '@odata.type': z.string(), displayName: z.string().nullable().optional() })),
  '@odata.nextLink': z.string().optional(),
});

/** Graph's default page holds 100 memberships: 100 pages is far beyond any real user. */
const maxPages = 100;

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const { log } = opts;
  const base = opts.graphUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const get = createGraphGet({
    token: createAppToken({ ...opts, graphUrl: base }),
    fetch: createHttpsFetch(opts.ca),
    log,
    ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  const userUrl = (userId: string) => `${base}/v1.0/users/${encodeURIComponent(userId)}`;
  let warnedUnnamedGroups = false;

  const parse = <T>(res: GraphResponse, schema: z.ZodType<T>, what: string): Ack<T> => {
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      log.error('graph: an answer that is not JSON', { what, status: res.status });
      return fail('internal', `Microsoft Graph sent a malformed ${what}.`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      log.error('graph: an answer of an unexpected shape', { what, issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      return fail('internal', `Microsoft Graph sent a malformed ${what}.`);
    }
    return ok(parsed.data);
  };
  const notFound = () => fail<never>('not-found', 'No such user in the directory.');

  return {
    async user(userId, signal) {
      if (!userId) return notFound();
      const res = await get(`${userUrl(userId)}?$select=${userSelect}`, signal);
      if (!res.ok) return res;
      if (res.value.status === 404) return notFound();
      const u = parse(res.value, userSchema, 'user');
      if (!u.ok) return u;
      const { id, displayName, userPrincipalName, mail, jobTitle, companyName, accountEnabled } = u.value;
      return ok({
        id, displayName: displayName ?? userPrincipalName, userPrincipalName,
        mail: mail ?? null, jobTitle: jobTitle ?? null, companyName: companyName ?? null, accountEnabled: accountEnabled ?? null,
      });
    },

    async photo(userId, signal) {
      if (!userId) return ok(null);
      const res = await get(`${userUrl(userId)}/photo/$value`, signal);
      if (!res.ok) return res;
      if (res.value.status === 404) return ok(null);
      const contentType = (res.value.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      // Shown to the other person as an image: anything else Graph might send is not passed on.
      if (!/^image\/(jpeg|png|gif|webp|bmp)$/.test(contentType) || res.value.body.length === 0) {
        log.error('graph: a photo that is not an image', { contentType, bytes: res.value.body.length });
        return fail('internal', 'Microsoft Graph sent a photo that is not an image.');
      }
      return ok({ contentType, bytes: res.value.body });
    },

    async verifiedDomains(signal) {
      const res = await get(`${base}/v1.0/organization?$select=verifiedDomains`, signal);
      if (!res.ok) return res;
      if (res.value.status === 404) return fail('internal', 'Microsoft Graph has no organization for the tenant.');
      const org = parse(res.value, organizationSchema, 'organization');
      if (!org.ok) return org;
      const names = org.value.value.flatMap((o) => o.verifiedDomains.map((d) => d.name.toLowerCase()));
      return ok([...new Set(names)]);
    },

    async groupNames(userId, signal) {
      if (!userId) return notFound();
      // No $select or $top: on this API query options belong to advanced queries (ConsistencyLevel),
      // and the default page is fine. Roles and administrative units come too; only groups are kept.
      let url: string | undefined = `${userUrl(userId)}/transitiveMemberOf`;
      const names: string[] = [];
      let unnamed = 0;
      for (let page = 0; url; page++) {
        if (page >= maxPages) {
          log.error('graph: more membership pages than the relay reads', { pages: maxPages });
          return fail('internal', 'The user is in more groups than the relay reads.');
        }
        const res = await get(url, signal);
        if (!res.ok) return res;
        if (res.value.status === 404) return page === 0 ? notFound() : fail('internal', 'A membership page went missing.');
        const parsed = parse(res.value, membershipPage, 'membership page');
        if (!parsed.ok) return parsed;
        for (const entry of parsed.value.value) {
          if (entry['@odata.type'] !== '#microsoft.graph.group') continue;
          if (entry.displayName) names.push(entry.displayName);
          else unnamed++;
        }
        const next = parsed.value['@odata.nextLink'];
        // The link is followed as given, but only to Graph: it carries the relay's token.
        if (next !== undefined && !sameOrigin(next, origin)) {
          log.error('graph: a nextLink to another host was not followed', { host: safeHost(next) });
          return fail('internal', 'Microsoft Graph sent a link elsewhere.');
        }
        url = next;
      }
      if (unnamed > 0 && !warnedUnnamedGroups) {
        // Graph hides the names of objects the app may not read: group names need GroupMember.Read.All.
        warnedUnnamedGroups = true;
        log.warn('graph: group names withheld; grant the GroupMember.Read.All application permission', { tenantId: opts.tenantId, unnamed });
      }
      return ok([...new Set(names)]);
    },
  };
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(bad url)';
  }
}
