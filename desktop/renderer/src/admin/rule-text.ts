// Names of the conditional-access choices, shared by the rule list and the rule editor.
import { msg } from '@lit/localize';
import type { CaGrant, CaRule } from '#protocol';

export function grantLabel(g: CaGrant): string {
  switch (g) {
    case 'block':
      return msg('Block');
    case 'require-mfa':
      return msg('Require MFA');
    case 'require-compliant-device':
      return msg('Require compliant device');
  }
}

/** The grant as the rule list says it: "require compliant device" also says whether the device must be
 * approved (absent = approved only). */
export function ruleGrantText(rule: Pick<CaRule, 'grant' | 'approvedDevicesOnly'>): string {
  if (rule.grant !== 'require-compliant-device') return grantLabel(rule.grant);
  return rule.approvedDevicesOnly === false
    ? msg('Require compliant device (self-reported devices pass)')
    : msg('Require compliant device (approved devices only)');
}

export function modeLabel(m: CaRule['mode']): string {
  return m === 'enforce' ? msg('On') : msg('Report-only');
}

export function appliesToLabel(a: CaRule['appliesTo']): string {
  switch (a) {
    case 'helper':
      return msg('Helpers');
    case 'sharer':
      return msg('Sharers');
    case 'both':
      return msg('Helpers and sharers');
  }
}

/** Platforms offered as conditions and in the compliance policy (devices and browsers report these). */
export const knownPlatforms = ['Windows', 'macOS', 'Linux', 'ChromeOS', 'iOS', 'Android'] as const;
