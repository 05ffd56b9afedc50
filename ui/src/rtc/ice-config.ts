// The configuration of one new peer connection, asked of the relay each time (session:ice): its TURN
// credentials are made for this member and expire, so a connection built after a reconnect gets fresh
// ones. A relay that cannot answer leaves the connection with no servers, which still works on one
// network (DESIGN §5); the screen is better late than never.
import type { SessionLink } from '#protocol/session-link.js';

export async function iceConfigFor(link: SessionLink, sessionId: string): Promise<RTCConfiguration> {
  const res = await link.request('session:ice', { sessionId });
  if (!res.ok) return { iceServers: [] };
  return { iceServers: res.value.iceServers, iceTransportPolicy: res.value.iceTransportPolicy };
}
