import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { SmtpSink } from '../support/smtp-sink';
import { settledOutboxRows } from '../support/outbox-rows';

const TICKET = 'plugin::helpdesk.ticket';
const OUTBOX = 'plugin::helpdesk.outbound-email';

const guest = (overrides: Record<string, unknown> = {}) => ({
  data: {
    firstName: 'Rhea',
    lastName: 'Relay',
    email: 'rhea@example.test',
    phone: '+44 20 7946 0001',
    company: 'Relay Ltd',
    subject: 'Relay check',
    description: 'Checking that the guest form does not relay mail.',
    priority: 'low',
    ...overrides,
  },
});

type Receipt = { data: Record<string, string> };

describe('guest form as a mail relay', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        SMTP_FROM: 'support@helpdesk.test',
        GUEST_RATE_LIMIT_MAX: '1000',
        AUTO_REPLY_CAP: '3',
        AUTO_REPLY_CAP_WINDOW_MINUTES: '10',
      },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('answers a honeypot submission with a receipt shaped like a real one, storing and mailing nothing', async () => {
    const real = (await (await helpdesk.submitGuest(guest({ email: 'real@example.test' }))).json()) as Receipt;
    await sink.waitFor(1);
    const tickets = await helpdesk.strapi.db.query(TICKET).count({});
    const mails = await helpdesk.strapi.db.query(OUTBOX).count({});

    const response = await helpdesk.submitGuest(guest({ website: 'http://spam.example', subject: 'Cheap pills', priority: 'high' }));
    expect(response.status).toBe(201);
    const decoy = (await response.json()) as Receipt;
    expect(Object.keys(decoy).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys(decoy.data).sort()).toEqual(Object.keys(real.data).sort());
    for (const key of Object.keys(real.data)) expect(typeof decoy.data[key]).toBe(typeof real.data[key]);
    expect(decoy.data).toMatchObject({ ticketStatus: 'new', subject: 'Cheap pills', priority: 'high' });
    expect(decoy.data.ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);
    // the number that would come next, not one already handed out
    expect(decoy.data.ticketNumber > real.data.ticketNumber).toBe(true);
    expect(Math.abs(Date.parse(decoy.data.createdAt) - Date.now())).toBeLessThan(10_000);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(tickets);
    expect(await helpdesk.strapi.db.query(OUTBOX).count({})).toBe(mails);
    expect(sink.messages).toHaveLength(1);
  });

  it('suppresses the 4th confirmation to one address within the window, and still opens the ticket', async () => {
    const email = 'flooded@example.test';
    const numbers: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await helpdesk.submitGuest(guest({ email, subject: `Flood ${i}` }));
      expect(response.status).toBe(201);
      numbers.push(((await response.json()) as Receipt).data.ticketNumber);
    }
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { ticketNumber: { $in: numbers } } })).toBe(4);

    await sink.waitFor(1 + 3);
    const rows = await settledOutboxRows(helpdesk.strapi, { to: email, templateKey: 'ticket_confirmation' });
    expect(rows.map((row) => row.deliveryStatus)).toEqual(['sent', 'sent', 'sent', 'suppressed']);
    expect(rows[3].lastError).toMatch(/^suppressed: 3 automatic mails to this address in the last 10 minutes \(cap 3\)/);
    // nothing more reaches the sink for that address
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sink.messages.filter((mail) => mail.envelopeTo.includes(email))).toHaveLength(3);
  });
});
