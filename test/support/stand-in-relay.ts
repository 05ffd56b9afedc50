// A bare Socket.IO server on port 0 standing in for the relay, for the clients' own tests (desktop
// main's relay link, the web pages' link): the test decides what it answers and pushes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface StandInRelay {
  io: Server;
  url: string;
  close(): Promise<void>;
}

export async function startStandInRelay(): Promise<StandInRelay> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close: () => io.close() };
}
