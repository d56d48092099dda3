// A second Strapi process for tests/outbox-instances.test.ts: boots from dist/ on the database the
// parent test gives it (through the environment), says "ready", waits for a line on stdin, then
// delivers due mail until none is left and prints its delivery report as JSON.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..', '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const outbox = app.service('plugin::helpdesk.outbound-email');
  const total = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    const report = await outbox.deliverDue();
    total.sent += report.sent;
    total.retried += report.retried;
    total.failed += report.failed;
    if (report.sent + report.retried + report.failed === 0) break;
  }
  process.stdout.write(`${JSON.stringify(total)}\n`);
  await app.destroy();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
