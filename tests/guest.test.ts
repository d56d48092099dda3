import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import { settledOutboxRows } from './support/outbox-rows';

const TICKET = 'plugin::helpdesk.ticket';

const validGuest = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Grace',
  lastName: 'Guest',
  email: 'Grace.Guest@example.test',
  phone: '+49 30 1234567',
  company: 'Example GmbH',
  branch: 'Berlin',
  subject: 'Printer on fire',
  description: 'The office printer is on fire again, please help.',
  priority: 'high',
  ...overrides,
});

describe('guest ticket submission', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', GUEST_RATE_LIMIT_MAX: '1000', AUTO_REPLY_CAP: '1000' },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  const submit = (data: unknown) => helpdesk.submitGuest({ data });

  it('opens a guest ticket, answers with its number only, and mails a confirmation', async () => {
    const response = await submit(validGuest());
    expect(response.status).toBe(201);
    const body = (await response.json()) as { data: Record<string, string> };
    expect(Object.keys(body).sort()).toEqual(['data']);
    expect(Object.keys(body.data).sort()).toEqual(['createdAt', 'priority', 'subject', 'ticketNumber', 'ticketStatus']);
    expect(body.data).toMatchObject({ ticketStatus: 'new', priority: 'high', subject: 'Printer on fire' });
    expect(body.data.ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);

    const ticket = await helpdesk.strapi.db.query(TICKET).findOne({
      where: { ticketNumber: body.data.ticketNumber },
      populate: ['contact', 'submittedBy'],
    });
    expect(ticket).toMatchObject({ isGuest: true, source: 'web', ticketStatus: 'new', email: 'grace.guest@example.test', submittedBy: null });
    expect(ticket.contact).toMatchObject({ email: 'grace.guest@example.test', firstName: 'Grace', company: 'Example GmbH' });

    const [mail] = await sink.waitFor(1);
    expect(mail.envelopeTo).toEqual(['grace.guest@example.test']);
    expect(mail.parsed.subject).toBe(`[${body.data.ticketNumber}] We received your request: Printer on fire`);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.parsed.text).toContain('Hello Grace Guest');
    expect(mail.parsed.html).toContain(`<strong>${body.data.ticketNumber}</strong>`);
    const [stored] = await settledOutboxRows(helpdesk.strapi, { ticket: { id: ticket.id } });
    expect(stored).toMatchObject({ deliveryStatus: 'sent', attempts: 1, messageId: mail.parsed.messageId });

    const history = await helpdesk.strapi.db.query('plugin::helpdesk.ticket-history').findMany({ where: { ticket: { id: ticket.id } } });
    expect(history.map((h: { action: string; actorType: string }) => [h.action, h.actorType])).toEqual([['created', 'requester']]);
  });

  it('answers 400 with one error per bad field, and stores nothing', async () => {
    const before = await helpdesk.strapi.db.query(TICKET).count({});
    const response = await submit({ email: 'nope', phone: 'call me', priority: 'critical', subject: 'x' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { data: null; error: { name: string; details: { errors: Array<{ path: string[] }> } } };
    expect(body.error.name).toBe('ValidationError');
    const fields = body.error.details.errors.map((e) => e.path.join('.')).sort();
    expect(fields).toEqual(['company', 'description', 'email', 'firstName', 'lastName', 'phone', 'priority', 'subject']);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(before);
  });

  it('rejects unknown and server-owned fields', async () => {
    for (const extra of [{ isGuest: false }, { ticketStatus: 'closed' }, { assignee: 1 }, { ticketNumber: 'TKT-2000-00001' }, { foo: 1 }]) {
      const response = await submit(validGuest(extra));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { details: { errors: Array<{ path: string[] }> } } };
      expect(body.error.details.errors[0].path).toEqual([Object.keys(extra)[0]]);
    }
  });

  it('drops a submission whose honeypot is filled, without telling the bot', async () => {
    const before = await helpdesk.strapi.db.query(TICKET).count({});
    const response = await submit(validGuest({ website: 'http://spam.example' }));
    expect(response.status).toBe(201);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(before);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await submit(validGuest({ description: 'x'.repeat(40_000) }));
    expect(response.status).toBe(413);
  });

  it('stores markup as inert plain text, in the API and in the confirmation mail', async () => {
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<svg/onload=alert(1)>',
      '"><iframe src=javascript:alert(1)>',
      '<scr<script>ipt>alert(1)</script>',
      '<a href="javascript:alert(1)">click</a>',
      '<!-- x --><b onmouseover=alert(1)>bold</b>',
      '<img src=x onerror=alert(1)//',
      '{ticket_number}<style>@import "evil"</style>',
    ];
    const agent = await helpdesk.agent();
    sink.messages.length = 0;
    for (const [i, payload] of payloads.entries()) {
      const response = await submit(
        validGuest({ firstName: `Eve ${payload}`, subject: `Subject ${payload}`, description: `Description ${payload} number ${i}`, company: `Company ${payload}` })
      );
      expect(response.status).toBe(201);
      const { data } = (await response.json()) as { data: { ticketNumber: string } };
      const read = await helpdesk.request('GET', `/api/tickets?filters[ticketNumber][$eq]=${data.ticketNumber}`, { token: agent.jwt });
      const stored = read.body.data[0];
      for (const field of ['firstName', 'subject', 'description', 'company']) {
        expect(stored[field]).not.toMatch(/<\s*[a-z!/?]/i);
      }
    }
    const mails = await sink.waitFor(payloads.length);
    for (const mail of mails) {
      const html = String(mail.parsed.html);
      expect(html).not.toMatch(/<script|<img|<svg|<iframe|<style|<a href|<b /i);
      expect(html).not.toMatch(/javascript:alert\(1\)"/);
    }
    // a placeholder typed by a guest stays text: values are never filled in twice
    expect(mails.some((mail) => String(mail.parsed.text).includes('Subject {ticket_number}'))).toBe(true);
  });
});
