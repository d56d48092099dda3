import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink, freePort } from './support/smtp-sink';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const OUTBOX = 'plugin::helpdesk.outbound-email';

const guest = (i: number, email = `guest${i}@example.test`) => ({
  data: {
    firstName: 'Guest',
    lastName: `Number ${i}`,
    email,
    phone: '+1 555 0100',
    company: 'Load Inc',
    subject: `Concurrent request ${i}`,
    description: 'Please help with concurrent request number ' + i,
  },
});

interface OutboxRow {
  to: string;
  deliveryStatus: string;
  attempts: number;
  lastError: string | null;
  messageId: string;
}

/** Delivers until no due mail is left (the cron task does the same every few seconds). */
async function drain(outbox: Outbox, until: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await until())) {
    if (Date.now() > deadline) throw new Error('outbox did not drain in time');
    await outbox.deliverDue();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('outbox delivery through a real SMTP server', () => {
  let helpdesk: Helpdesk;
  let port: number;
  let sink: SmtpSink;
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  const rows = async (): Promise<OutboxRow[]> => (await helpdesk.strapi.db.query(OUTBOX).findMany({ orderBy: { id: 'asc' } })) as OutboxRow[];
  const post = (body: unknown) => helpdesk.submitGuest(body);

  beforeAll(async () => {
    port = await freePort();
    sink = new SmtpSink({ rejectRecipients: ['bounce@example.test'] });
    await sink.start(port);
    helpdesk = await startHelpdesk({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        SMTP_FROM: 'support@helpdesk.test',
        GUEST_RATE_LIMIT_MAX: '100000',
        OUTBOX_BACKOFF_BASE_MS: '100',
        OUTBOX_BACKOFF_MAX_MS: '400',
        OUTBOX_MAX_ATTEMPTS: '1000',
        SMTP_CONNECTION_TIMEOUT_MS: '2000',
        // the test drives delivery itself (and the after-commit kick still runs)
        CRON_ENABLED: 'false',
      },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink?.stop();
  });

  it('turns 200 concurrent guest submissions into 200 tickets with distinct numbers and 200 confirmations, each sent once', async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => post(guest(i))));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(201));
    const numbers = await Promise.all(responses.map(async (r) => ((await r.json()) as { data: { ticketNumber: string } }).data.ticketNumber));
    expect(new Set(numbers).size).toBe(200);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(200);

    await drain(outbox(), async () => (await rows()).every((row) => row.deliveryStatus === 'sent'));
    await sink.waitFor(200);
    // a little longer, to catch a late duplicate
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.messages).toHaveLength(200);
    const recipients = sink.messages.map((m) => m.envelopeTo.join(','));
    expect(new Set(recipients).size).toBe(200);
    const messageIds = sink.messages.map((m) => m.parsed.messageId);
    expect(new Set(messageIds).size).toBe(200);
    const subjects = new Set(sink.messages.map((m) => /\[(TKT-\d{4}-\d{5})\]/.exec(String(m.parsed.subject))?.[1]));
    expect([...subjects].sort()).toEqual([...numbers].sort());
    for (const mail of sink.messages) {
      expect(mail.parsed.text).toBeTruthy();
      expect(mail.parsed.html).toBeTruthy();
    }
    const stored = await rows();
    expect(stored).toHaveLength(200);
    expect(stored.every((row) => row.attempts === 1)).toBe(true);
  });

  it('accepts submissions while SMTP is down and delivers every queued mail once it is back', async () => {
    await sink.stop();
    sink.messages.length = 0;
    const before = (await rows()).length;
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(guest(1000 + i))));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));

    // attempts fail and are rescheduled, nothing is lost
    await outbox().deliverDue();
    const waiting = (await rows()).slice(before);
    expect(waiting).toHaveLength(20);
    expect(waiting.every((row) => row.deliveryStatus === 'queued' || row.deliveryStatus === 'sending')).toBe(true);
    expect(waiting.some((row) => row.attempts >= 1 && row.lastError)).toBe(true);

    sink = new SmtpSink({ rejectRecipients: ['bounce@example.test'] });
    await sink.start(port);
    await drain(outbox(), async () => (await rows()).every((row) => row.deliveryStatus === 'sent'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages).toHaveLength(20);
    expect(new Set(sink.messages.map((m) => m.parsed.messageId)).size).toBe(20);
    const delivered = new Set(sink.messages.map((m) => m.envelopeTo[0]));
    expect(delivered).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `guest${1000 + i}@example.test`)));
  });

  it('marks a mail the server refuses permanently (5xx) as failed with the error, and delivers the others', async () => {
    sink.messages.length = 0;
    const before = (await rows()).length;
    const responses = await Promise.all([post(guest(2000, 'bounce@example.test')), post(guest(2001)), post(guest(2002))]);
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    await drain(outbox(), async () => (await rows()).slice(before).every((row) => row.deliveryStatus === 'sent' || row.deliveryStatus === 'failed'));

    const latest = (await rows()).slice(before);
    const bounced = latest.find((row) => row.to === 'bounce@example.test');
    expect(bounced).toMatchObject({ deliveryStatus: 'failed', attempts: 1 });
    expect(bounced?.lastError).toMatch(/550/);
    expect(latest.filter((row) => row.deliveryStatus === 'sent')).toHaveLength(2);
    await sink.waitFor(2);
    expect(sink.messages.map((m) => m.envelopeTo[0]).sort()).toEqual(['guest2001@example.test', 'guest2002@example.test']);
  });

  it('never hands one row to two concurrent claims', async () => {
    const before = (await rows()).length;
    // queued directly, so that no after-commit delivery run takes them first
    for (let i = 0; i < 40; i += 1) {
      await helpdesk.strapi.db.query(OUTBOX).create({
        data: { to: `claim${i}@example.test`, subject: 's', textBody: 't', messageId: `<claim-${i}@test>`, deliveryStatus: 'queued', attempts: 0, nextAttemptAt: new Date() },
      });
    }
    const claims = await Promise.all(Array.from({ length: 8 }, () => outbox().claim(10)));
    const claimed = claims.flat().map((row) => row.id);
    expect(claimed.length).toBe(40);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect((await rows()).slice(before).every((row) => row.deliveryStatus === 'sending')).toBe(true);
  });
});
