/**
 * The framework's own ceiling: fastify answering a constant, with no logging, schema or hooks,
 * for the HTTP benchmark to set tandem's routes beside.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/health', () => ({ status: 'ok' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`listening ${url}\n`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
