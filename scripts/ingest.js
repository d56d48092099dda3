#!/usr/bin/env node
// Email-to-ticket from the command line (the product's process_emails): reads the support mailbox
// once or every EMAIL_TO_TICKET_CHECK_INTERVAL seconds, with the same pipeline as the cron task.
// Usage: npm run ingest -- [--dry-run] [--verbose] [--limit N] [--folder NAME] [--once] [--reprocess-quarantined]
// Exit codes: 0 done, 1 the run failed (IMAP, database), 2 bad usage, 3 some mails were quarantined.
const path = require('path');
const { parseArgs } = require('util');

const USAGE = 'usage: npm run ingest -- [--dry-run] [--verbose] [--limit N] [--folder NAME] [--once] [--reprocess-quarantined]';

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        limit: { type: 'string' },
        folder: { type: 'string' },
        once: { type: 'boolean', default: false },
        'reprocess-quarantined': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    console.error(`--limit must be a positive whole number\n${USAGE}`);
    return 2;
  }
  // a dry run changes nothing, so it may look at the mailbox however often it likes
  const once = values.once || values['dry-run'];

  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  // the command does the work itself: no scheduled tasks in this process
  process.env.CRON_ENABLED = 'false';
  const { createStrapi } = require('@strapi/strapi');
  const app = await createStrapi(await require('./compile').compileHelpdesk()).load();
  const ingestion = app.plugin('helpdesk').service('mail-ingestion');

  let code = 0;
  let stop = false;
  process.on('SIGINT', () => (stop = true));
  process.on('SIGTERM', () => (stop = true));
  try {
    const config = ingestion.readConfig();
    if (values['reprocess-quarantined']) {
      // the raw mails are in the database: no mailbox needed
      const report = await ingestion.reprocessQuarantined(config, { dryRun: values['dry-run'], limit, log: (line) => console.log(line) });
      if (values['dry-run']) return 0;
      const failing = report.fetched - Object.values(report.outcomes).reduce((a, b) => a + b, 0);
      console.log(`${report.fetched} quarantined mails looked at; ${report.fetched - failing} went through, ${failing} still fail`);
      return failing > 0 ? 3 : 0;
    }
    if (!config.imap) {
      console.error('IMAP is not configured: set IMAP_HOST, IMAP_USERNAME and IMAP_PASSWORD');
      return 1;
    }
    do {
      const started = Date.now();
      const report = await ingestion.ingest(config, {
        dryRun: values['dry-run'],
        limit,
        folder: values.folder,
        log: (line) => {
          if (values.verbose || values['dry-run'] || / mails so far /.test(line)) console.log(line);
        },
      });
      if (report.skipped === 'locked') console.log('another instance is ingesting this mailbox; nothing done');
      const outcomes = Object.entries(report.outcomes).filter(([, n]) => n > 0).map(([name, n]) => `${name.replace(/_/g, ' ')} ${n}`);
      console.log(`${values['dry-run'] ? 'dry run: ' : ''}${report.fetched} mails in ${((Date.now() - started) / 1000).toFixed(1)} s${outcomes.length ? `: ${outcomes.join(', ')}` : ''}`);
      if (report.outcomes.quarantined > 0) code = 3;
      if (!once && !stop) await new Promise((resolve) => setTimeout(resolve, config.checkIntervalSeconds * 1000));
    } while (!once && !stop);
  } catch (error) {
    console.error(`ingestion failed: ${error && error.message ? error.message : error}`);
    code = 1;
  } finally {
    await app.destroy();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
