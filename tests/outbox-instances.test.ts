import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import type { DeliveryReport, Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const OUTBOX = 'plugin::helpdesk.outbound-email';
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

  it("retakes a SIGKILLed process's claims within the claim timeout and sends each mail once", async () => {
    // the other process's SMTP server accepts and never answers: its sends hang with the rows claimed
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    const dead = spawn(process.execPath, [path.join(__dirname, 'support', 'outbox-worker.js')], { env: { ...process.env, SMTP_PORT: String(silentPort) } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => dead.on('exit', (_code, signal) => resolve(signal)));
    const nextLine = lines(dead);
    expect(await nextLine()).toBe('ready');
    const before = sink.messages.length;
    const ids: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const row = (await helpdesk.strapi.db.query(OUTBOX).create({
        data: { to: `claimed${i}@example.test`, subject: `Claimed ${i}`, textBody: 'Once', htmlBody: '<p>Once</p>', messageId: `<claimed-${i}@helpdesk.test>`, deliveryStatus: 'queued', attempts: 0, nextAttemptAt: new Date() },
      })) as { id: number };
      ids.push(row.id);
    }
    dead.stdin.write('go\n');
    const claimed = () => helpdesk.strapi.db.query(OUTBOX).count({ where: { id: { $in: ids }, deliveryStatus: 'sending' } });
    while ((await claimed()) < ids.length) await new Promise((resolve) => setTimeout(resolve, 20));
    dead.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await exited).toBe('SIGKILL');

    // this process's cron would run every 5 s; here once a second until the mails are out
    const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
    let sent = 0;
    while (sent < ids.length) {
      sent += (await outbox.deliverDue()).sent;
      if (sent < ids.length) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    process.stdout.write(`claims of the killed process retaken and sent ${Date.now() - killedAt} ms after the kill (OUTBOX_CLAIM_TIMEOUT_MS 30000)\n`);
    silent.close();

    await sink.waitFor(before + ids.length);
    const ours = sink.messages.slice(before).map((m) => m.parsed.messageId);
    expect(ours.sort()).toEqual(ids.map((_, i) => `<claimed-${i}@helpdesk.test>`).sort());
    const rows = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { id: { $in: ids } }, select: ['deliveryStatus', 'attempts'] })) as Array<{ deliveryStatus: string; attempts: number }>;
    // one attempt by the dead process, one by this one
    expect(rows.every((row) => row.deliveryStatus === 'sent' && row.attempts === 2)).toBe(true);
  }, 120_000);
});
