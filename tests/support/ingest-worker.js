// A separate ingestion process for tests: boots the compiled Strapi (dist/) on
// the database and IMAP settings it inherits through the environment and ingests the mailbox until
// it is empty, retrying while another (perhaps dead) holder's lease has not expired. Prints the
// report as JSON, with the process's peak RSS (peakRssBytes). tests/ingest-crash.test.ts kills it with
// SIGKILL in the middle of a batch; tests/security/mail-file-entry.test.ts reads its peak RSS.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

async function main() {
  const appDir = path.resolve(__dirname, '..', '..');
  const app = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const ingestion = app.plugin('helpdesk').service('mail-ingestion');
  const config = ingestion.readConfig();
  process.stdout.write('ready\n');
  let report;
  for (;;) {
    report = await ingestion.ingest(config);
    if (report.skipped !== 'locked') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  process.stdout.write(`${JSON.stringify({ ...report, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
  await app.destroy();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
