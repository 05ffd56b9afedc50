// The floor of a chat message (bench/load-floor.ts): Socket.IO over HTTPS, configured as the relay's
// (websocket only, no compression, its heartbeat: a ping every 3 s by default, not Socket.IO's 25 s,
// so that a sharer's silent drop is noticed within seconds; 4,000 sockets make 1,333 pings and pongs a
// second, which a floor on Socket.IO's defaults left out), whose chat handler does nothing of the product's: it numbers the
// message, acknowledges it and emits it to the other side's room. No sign-in, store, limits, metrics or
// logs. What a chat message costs the relay above this is the product's own work; this is what no work
// of ours can take away on this machine (TLS, the kernel's loopback, Engine.IO and Socket.IO).
// Run by load-floor.ts with the relay's Node.js flags; it answers "cpu" on its IPC channel.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { Server } from 'socket.io';
import { ensureLocalCertificate } from '#relay/tls/local-ca.js';

const [dataDir, pingInterval, pingTimeout] = process.argv.slice(2);
if (!dataDir || !pingInterval || !pingTimeout) throw new Error('usage: floor-server.ts <data folder> <ping interval ms> <ping timeout ms>');
const cert = await ensureLocalCertificate(dataDir, ['localhost']);
const server = createServer({ key: cert.key, cert: cert.cert });
const io = new Server(server, {
  transports: ['websocket'], perMessageDeflate: false, httpCompression: false, pingInterval: Number(pingInterval), pingTimeout: Number(pingTimeout),
});
let seq = 0;
io.on('connection', (socket) => {
  const { pair, side } = socket.handshake.auth as { pair: string; side: 'a' | 'b' };
  void socket.join(`${pair}:${side}`);
  const peer = `${pair}:${side === 'a' ? 'b' : 'a'}`;
  socket.on('chat:send', (req: { clientId: string; text: string }, ack: (res: unknown) => void) => {
    const message = { sessionId: pair, clientId: req.clientId, from: side, senderName: side, text: req.text, sentAt: new Date().toISOString(), seq: ++seq };
    ack({ ok: true, value: message });
    io.to(peer).emit('chat:message', message);
  });
});
server.listen(0, 'localhost', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0, ca: readFileSync(cert.caCertPath, 'utf8') });
});
