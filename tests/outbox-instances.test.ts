import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import type { DeliveryReport, Outbox } from '../src/outbox/outbox';

const OUTBOX = 'api::outbound-email.outbound-email';
const MAILS = 300;

/** Lines a child process writes, one at a time. */
function lines(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  let buffer = '';
  const waiting: Array<(line: string) => void> = [];
  const ready: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let index;
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      const next = waiting.shift();
      if (next) next(line);
      else ready.push(line);
    }
  });
  return () => (ready.length > 0 ? Promise.resolve(ready.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

describe('two Strapi processes delivering one outbox', () => {
  let helpdesk: Helpdesk;
  let child: ChildProcessWithoutNullStreams | undefined;
  const sink = new SmtpSink({ delayMs: 10 });

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', CRON_ENABLED: 'false' },
    });
  });
  afterAll(async () => {
    child?.kill();
    await helpdesk?.stop();
    await sink.stop();
  });

  it('sends every mail exactly once while both claim rows at the same time', async () => {
    child = spawn(process.execPath, [path.join(__dirname, 'support', 'outbox-worker.js')], { env: process.env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const nextLine = lines(child);
    expect(await nextLine()).toBe('ready');

    for (let i = 0; i < MAILS; i += 1) {
      await helpdesk.strapi.db.query(OUTBOX).create({
        data: {
          to: `race${i}@example.test`,
          subject: `Race ${i}`,
          textBody: 'Only once, please',
          htmlBody: '<p>Only once, please</p>',
          messageId: `<race-${i}@helpdesk.test>`,
          deliveryStatus: 'queued',
          attempts: 0,
          nextAttemptAt: new Date(),
        },
      });
    }

    child.stdin.write('go\n');
    const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
    const mine: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const report = await outbox.deliverDue();
      mine.sent += report.sent;
      mine.retried += report.retried;
      mine.failed += report.failed;
      if (report.sent + report.retried + report.failed === 0) break;
    }
    const theirs = JSON.parse(await nextLine()) as DeliveryReport;
    expect(stderr).not.toMatch(/Error/);

    expect(mine.sent + theirs.sent).toBe(MAILS);
    expect(mine.sent).toBeGreaterThan(0);
    expect(theirs.sent).toBeGreaterThan(0);
    await sink.waitFor(MAILS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages).toHaveLength(MAILS);
    expect(new Set(sink.messages.map((m) => m.parsed.messageId)).size).toBe(MAILS);
    const statuses = (await helpdesk.strapi.db.query(OUTBOX).findMany({ select: ['deliveryStatus', 'attempts'] })) as Array<{ deliveryStatus: string; attempts: number }>;
    expect(statuses.every((row) => row.deliveryStatus === 'sent' && row.attempts === 1)).toBe(true);
    process.stdout.write(`outbox split between processes: this ${mine.sent}, other ${theirs.sent}\n`);
  });
});
