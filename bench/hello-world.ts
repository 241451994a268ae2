/**
 * The baseline: a bare Fastify 5 server answering GET / with {hello:'world'}, no plugins, no logger.
 * Listens on 127.0.0.1:$PORT (0 = any free port) and prints {"url": "..."} as one JSON line when ready.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ url })}\n`);

const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
