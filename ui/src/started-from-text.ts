// "Started from" on the sharer's trust screen, in words: which app the helper started the session from
// (as the relay saw it sign the helper in) and the inventory device it is bound to; and what the helper
// is told when a reason would be refused.
import { msg, str } from '@lit/localize';
import { reasonMaxLength, type SessionOrigin } from '#protocol/session-purpose.js';

/** The device name in its own direction inside the sentence (FSI … PDI, the text form of <bdi>): an
 * Arabic name in an English sentence, or the other way round, keeps both readable. */
const isolated = (name: string): string => `\u2068${name}\u2069`;

export function startedFromText(origin: SessionOrigin): string {
  const device = origin.deviceName !== undefined ? isolated(origin.deviceName) : undefined;
  switch (origin.app) {
    case 'console':
      return device !== undefined
        ? msg(str`The Remote Help console, for device ${device}`)
        : msg('The Remote Help console, not for a particular device');
    case 'web-helper':
      return device !== undefined ? msg(str`The web helper, for device ${device}`) : msg('The web helper');
    default:
      return device !== undefined
        ? msg(str`Another app of your organization, for device ${device}`)
        : msg('Another app of your organization');
  }
}

/** Where the helper types a reason the relay would refuse (session-purpose.ts): what to change. */
export function reasonProblemText(): string {
  return msg(str`Use at most ${reasonMaxLength} characters, on one line, without control or text-direction characters.`);
}
