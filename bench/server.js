// Child process of bench/guest.js: boots the compiled Strapi (dist/) on the database and SMTP
// settings it inherits through the environment, creates the bench agent, listens on a free
// port on 127.0.0.1 and reports { type: 'ready', port } to the parent over IPC.
// BENCH_COUNT_QUERIES=1 also counts, per route, requests and the SQL statements they run
// (sent on { type: 'stats' }).
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();

  // BENCH_COUNT_QUERIES=1: per route and SQL text, how often it ran and how long SQLite took
  // (better-sqlite3 runs synchronously inside knex's _query, so the time is SQLite's own)
  const stats = { queries: {}, requests: {} };
  if (process.env.BENCH_COUNT_QUERIES === '1') {
    // on the prototype: knex's transaction clients are new objects of the same class
    const proto = app.db.connection.client.constructor.prototype;
    const run = proto._query;
    proto._query = function timedQuery(connection, obj) {
      const started = process.hrtime.bigint();
      const result = run.call(this, connection, obj);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = app.requestContext.get()?.request?.path ?? '(no request)';
      const sql = String(obj.sql).replace(/\s+/g, ' ').slice(0, 150);
      const perRoute = (stats.queries[route] ??= {});
      const entry = (perRoute[sql] ??= { count: 0, ms: 0 });
      entry.count += 1;
      entry.ms += ms;
      return result;
    };
  }

  await app.plugin('helpdesk').service('staff').createAgent({
    email: process.env.BENCH_AGENT_EMAIL,
    password: process.env.BENCH_AGENT_PASSWORD,
    name: 'Bench Agent',
  });

  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  if (process.env.BENCH_COUNT_QUERIES === '1') {
    // requests served and the time from parsed request to response sent (queueing before
    // the request is read is not in it)
    app.server.httpServer.on('request', (req, res) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const entry = (stats.requests[req.url.split('?')[0]] ??= { count: 0, ms: 0 });
        entry.count += 1;
        entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
      });
    });
  }
  process.on('message', (message) => {
    if (message?.type === 'stats') process.send({ type: 'stats', stats });
    // a normal exit, so that --cpu-prof writes its profile (no graceful destroy: the outbox
    // would first deliver its whole backlog)
    if (message?.type === 'exit') process.exit(0);
  });
  process.send({ type: 'ready', port: app.server.httpServer.address().port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
