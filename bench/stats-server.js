// Child process of bench/stats.js: boots the compiled Strapi (dist/) on the database it inherits
// through the environment, creates the bench agents, bulk-inserts BENCH_TICKETS tickets, and
// reports to the parent over IPC:
//   { type: 'ready', port, agents: [{ id, email }], statements: [{ name, sql, bindings }] }
// where statements are the statistics endpoint's SQL for the first agent (knex's native SQL and
// bindings, Dates converted the way the driver stores them), for the parent's direct-SQL floor.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');
const { seedTickets } = require('./ticket-dataset');

const TICKET = 'plugin::helpdesk.ticket';

async function main() {
  const appDir = path.resolve(__dirname, '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const { createAgent } = app.plugin('helpdesk').service('staff');

  const agents = [];
  for (let i = 1; i <= Number(process.env.BENCH_AGENTS ?? 5); i += 1) {
    const email = `bench-agent-${i}@example.test`;
    const user = await createAgent({ email, password: process.env.BENCH_AGENT_PASSWORD, name: `Bench Agent ${i}` });
    agents.push({ id: user.id, email });
  }
  const started = Date.now();
  await seedTickets(app, Number(process.env.BENCH_TICKETS ?? 100000), agents.map((agent) => agent.id));
  const seedMs = Date.now() - started;

  const sqlite = app.db.dialect.client === 'sqlite';
  const statistics = app.service('plugin::helpdesk.ticket-statistics').statements({ userId: agents[0].id, now: new Date() });
  const statements = Object.entries(statistics).map(([name, query]) => {
    const { sql, bindings } = query.toSQL().toNative();
    // as knex would hand them to the driver: SQLite stores datetimes as epoch milliseconds
    const values = bindings.map((value) => (value instanceof Date ? (sqlite ? value.getTime() : value.toISOString()) : value));
    return { name, sql, bindings: values };
  });

  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message?.type === 'exit') process.exit(0);
  });
  process.send({ type: 'ready', port: app.server.httpServer.address().port, agents, statements, seedMs });
}

main().catch((error) => {
  // a failed bulk insert's message holds its whole SQL
  console.error(String(error.stack ?? error).slice(0, 2000));
  process.exit(1);
});
