// A Strapi server in a process of its own, for tests that need what a process sets at start
// (TMPDIR: Jest's sandbox copies process.env, so os.tmpdir() in the test process never follows it).
// Boots from dist/ on the database the parent gives it, makes an agent when AGENT_EMAIL is set,
// listens on a free port, prints {"port"} as JSON, and stops when stdin closes.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..', '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  if (process.env.AGENT_EMAIL) {
    await app.plugin('helpdesk').service('staff').createAgent({ email: process.env.AGENT_EMAIL, password: process.env.AGENT_PASSWORD, name: 'worker agent' });
  }
  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ port: app.server.httpServer.address().port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await app.destroy();
    process.exit(0);
  });
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
