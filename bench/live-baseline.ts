/**
 * The baseline of bench/live-fanout.ts, a child process: a bare `ws` server (no compression, as HOM's)
 * on 127.0.0.1:$PORT (0 = any free port). POST /publish with a JSON array of text frames sends each
 * frame to every connected client, `client.send(frame)`, in order, then answers 204. Prints
 * {"url": "..."} as one JSON line when ready.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const clients = new Set<WebSocket>();
const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/publish') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const frames = JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[];
    for (const client of clients) {
      for (const frame of frames) client.send(frame);
    }
    response.writeHead(204).end();
  });
});
const wss = new WebSocketServer({ server, path: '/ws/live', maxPayload: 1_048_576 });
wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
  socket.send(JSON.stringify({ type: 'ready' }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

const stop = () => {
  for (const client of clients) client.terminate();
  wss.close();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
