// What a session member's page builds its peer connection with: the configured STUN/TURN servers as
// they are, plus the relay's own TURN server with credentials made for this member now (so a page
// that builds a new connection after a reconnect gets fresh ones), and the ICE transport policy.
import type { IceConfig, SessionRole } from '#protocol';
import type { Config } from '../config.js';
import { turnCredentials, turnMemberId } from './turn-credentials.js';

export type IceConfigSource = (sessionId: string, role: SessionRole) => IceConfig;

export function createIceConfigSource(
  config: Pick<Config, 'iceServers' | 'turn' | 'iceTransportPolicy'>,
  now: () => number,
): IceConfigSource {
  return (sessionId, role) => {
    const iceServers: IceConfig['iceServers'] = config.iceServers.map((s) => ({ ...s }));
    if (config.turn) {
      const { username, credential } = turnCredentials(config.turn.secret, turnMemberId(sessionId, role), now(), config.turn.ttlSeconds);
      iceServers.push({ urls: [...config.turn.urls], username, credential });
    }
    return { iceServers, iceTransportPolicy: config.iceTransportPolicy };
  };
}
