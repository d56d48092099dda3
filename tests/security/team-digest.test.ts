import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { SmtpSink, type CapturedMail } from '../support/smtp-sink';

const OUTBOX = 'plugin::helpdesk.outbound-email';
const SETTINGS = 'plugin::helpdesk.helpdesk-setting';
const TEAM = 'team@acme.test';
// short enough for a test, long enough for ten submissions on a busy 2-core machine
const WINDOW_MS = 5000;

const guest = (n: number, priority = 'medium') => ({
  data: {
    firstName: 'Burst',
    lastName: `Guest${n}`,
    email: `burst${n}@example.test`,
    phone: '0301234567',
    company: 'Burst Ltd',
    subject: `Burst ticket ${n}`,
    description: 'One of many tickets in a short time.',
    priority,
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NUMBER = /TKT-\d{4}-\d{5}/g;

describe('team notification digest (real SMTP sink, the outbox cron every 5 s)', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();
  const teamMails = () => sink.messages.filter((mail) => mail.envelopeTo.includes(TEAM));
  const isDigest = (mail: CapturedMail) => !/New ticket:/.test(mail.parsed.subject ?? '');

  async function submit(n: number, priority?: string): Promise<string> {
    const response = await helpdesk.submitGuest(guest(n, priority));
    expect(response.status).toBe(201);
    return ((await response.json()) as { data: { ticketNumber: string } }).data.ticketNumber;
  }

  async function waitForTeamMails(count: number, timeoutMs: number): Promise<CapturedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (teamMails().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} team mails, got ${teamMails().length}`);
      await sleep(50);
    }
    return teamMails();
  }

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        SMTP_FROM: 'support@helpdesk.test',
        GUEST_RATE_LIMIT_MAX: '1000',
        TEAM_NOTIFICATION_DIGEST_MS: String(WINDOW_MS),
      },
    });
    const documents = helpdesk.strapi.documents(SETTINGS);
    const existing = await documents.findFirst({});
    const data = { companyName: 'Acme', supportAddress: TEAM, autoReplyEnabled: false };
    if (existing) await documents.update({ documentId: existing.documentId, data } as never);
    else await documents.create({ data } as never);
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('seeds the digest template', async () => {
    const template = await helpdesk.strapi.db.query('plugin::helpdesk.email-template').findOne({ where: { key: 'new_tickets_digest' } });
    expect(template).toMatchObject({ enabled: true });
    expect(template.body).toContain('{ticket_list}');
  });

  it('5 tickets in a burst: the first is mailed at once, the other 4 in one digest when the window ends', async () => {
    sink.messages.length = 0;
    const started = Date.now();
    const numbers: string[] = [];
    for (let n = 1; n <= 5; n += 1) numbers.push(await submit(n, n === 3 ? 'high' : 'medium'));

    const [first] = await waitForTeamMails(1, 5000);
    expect(first.parsed.subject).toBe(`[${numbers[0]}] New ticket: Burst ticket 1`);
    await sleep(500);
    // nothing else yet: the others wait in one queued digest row due at the end of the window
    expect(teamMails()).toHaveLength(1);
    const digests = await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { templateKey: 'new_tickets_digest' } });
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ deliveryStatus: 'queued', to: TEAM });
    expect(new Date(digests[0].nextAttemptAt).getTime()).toBeGreaterThan(Date.now());

    // the outbox cron (every 5 s) sends it once the window has ended
    const mails = await waitForTeamMails(2, WINDOW_MS + 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
    const digest = mails[1];
    expect(digest.parsed.subject).toBe('4 more new tickets (Acme)');
    expect(digest.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const text = digest.parsed.text ?? '';
    expect(text.match(NUMBER)).toEqual(numbers.slice(1));
    // number, priority, subject and requester of each
    expect(text).toContain(`${numbers[2]}  [High]  Burst ticket 3  (Burst Guest3 <burst3@example.test>)`);
    expect(text).toContain(`${numbers[4]}  [Medium]  Burst ticket 5  (Burst Guest5 <burst5@example.test>)`);
    expect(digest.parsed.html).toContain(`${numbers[1]}  [Medium]  Burst ticket 2  (Burst Guest2 &lt;burst2@example.test&gt;)`);
    await sleep(500);
    expect(teamMails()).toHaveLength(2);
  });

  it('a ticket after the window starts a new burst with an immediate mail (and a lone ticket gets no digest)', async () => {
    sink.messages.length = 0;
    const number = await submit(6);
    const [mail] = await waitForTeamMails(1, 5000);
    expect(mail.parsed.subject).toBe(`[${number}] New ticket: Burst ticket 6`);
    // wait out this window: no digest follows a burst of one
    await sleep(WINDOW_MS + 6000);
    expect(teamMails()).toHaveLength(1);
  });

  it('10 concurrent creations: exactly one immediate mail and one digest, every ticket in exactly one of them', async () => {
    sink.messages.length = 0;
    const digestsBefore = await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'new_tickets_digest' } });
    const numbers = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(100 + i)));

    const mails = await waitForTeamMails(2, WINDOW_MS + 10_000);
    await sleep(1000);
    expect(teamMails()).toHaveLength(2);
    const immediate = mails.filter((mail) => !isDigest(mail));
    const digests = mails.filter(isDigest);
    expect(immediate).toHaveLength(1);
    expect(digests).toHaveLength(1);
    expect(digests[0].parsed.subject).toBe('9 more new tickets (Acme)');
    const mentioned = [...(immediate[0].parsed.subject ?? '').match(NUMBER)!, ...(digests[0].parsed.text ?? '').match(NUMBER)!];
    expect(mentioned.sort()).toEqual([...numbers].sort());
    expect(await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'new_tickets_digest' } })).toBe(digestsBefore + 1);
  });

  it('TEAM_NOTIFICATION_DIGEST_MS=0 turns digests off (config read at call time)', async () => {
    sink.messages.length = 0;
    const config = helpdesk.strapi.config;
    const previous = config.get('plugin::helpdesk.mail.teamDigestMs');
    config.set('plugin::helpdesk.mail.teamDigestMs', 0);
    try {
      const numbers = [await submit(200), await submit(201)];
      const mails = await waitForTeamMails(2, 5000);
      expect(mails.map((mail) => mail.parsed.subject?.match(NUMBER)?.[0]).sort()).toEqual(numbers.sort());
    } finally {
      config.set('plugin::helpdesk.mail.teamDigestMs', previous);
    }
  });
});
