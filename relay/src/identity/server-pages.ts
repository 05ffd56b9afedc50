// Each server-rendered page's context, from its request: the language (?lang= from the picker, which is
// then remembered in the rh-locale cookie; else that cookie; else Accept-Language; else English), the
// organization's look once the tenant is known, and where the language picker sends the choice (by
// default the same address with its query, so the page comes back as it was, in the new language).
import type Koa from 'koa';
import { organizationLookOf, type OrganizationLook } from '#protocol';
import type { Tenant } from '../ports.js';
import type { PageContext, Picker } from './html.js';
import { localeCookieHeader, requestLocale, translator, type Catalogues } from './page-locale.js';

export interface ServerPages {
  context(ctx: Koa.Context, opts?: { look?: OrganizationLook | undefined; picker?: Picker }): PageContext;
}

export function createServerPages(catalogues: Catalogues): ServerPages {
  return {
    context(ctx, opts = {}) {
      const { locale, chosen } = requestLocale({ lang: ctx.query.lang, cookieHeader: ctx.get('cookie'), acceptLanguage: ctx.get('accept-language') });
      if (chosen) ctx.append('Set-Cookie', localeCookieHeader(chosen));
      ctx.vary('Accept-Language');
      return { locale, t: translator(catalogues, locale), ...(opts.look ? { look: opts.look } : {}), picker: opts.picker ?? samePage(ctx) };
    },
  };
}

/** The address the browser asked for (a mounted provider sees its own path; originalUrl is the whole). */
function samePage(ctx: Koa.Context): Picker {
  const url = new URL(ctx.originalUrl || ctx.url, 'https://relay.invalid');
  return { action: url.pathname, keep: Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'lang')) };
}

/** The organization as its pages show it, read now: an administrator's new branding shows on the next page. */
export function lookOf(tenant: Tenant | undefined): OrganizationLook | undefined {
  return tenant && organizationLookOf(tenant);
}
