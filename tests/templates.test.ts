import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import { renderTemplate } from '../src/plugins/helpdesk/server/src/mail/render-template';
import { DEFAULT_TEMPLATES, seedDefaultTemplates } from '../src/plugins/helpdesk/server/src/mail/default-templates';
import { sampleVariables } from '../src/plugins/helpdesk/shared/template-catalog';
import { replySubject, withTicketTag } from '../src/plugins/helpdesk/server/src/mail/ticket-mail';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TEMPLATE = 'plugin::helpdesk.email-template';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SETTINGS = 'plugin::helpdesk.helpdesk-setting';

const guest = (email: string, overrides: Record<string, string> = {}) => ({
  data: {
    firstName: 'Tom',
    lastName: 'Template',
    email,
    phone: '0301234567',
    company: 'Tmpl & Co',
    subject: 'Template check',
    description: 'Does the template render right?',
    ...overrides,
  },
});

describe('renderTemplate', () => {
  it('fills variables, escapes them in HTML only, and leaves unknown ones visible', () => {
    const rendered = renderTemplate(
      { subject: 'Re: {subject} {nope}', body: '<p>Hi {guest_name}, {missing}</p>' },
      { subject: 'a\r\nBcc: x@y', guest_name: '<b>Tom</b> & "Jerry"' }
    );
    expect(rendered.subject).toBe('Re: a Bcc: x@y {nope}');
    expect(rendered.text).toBe('Hi <b>Tom</b> & "Jerry", {missing}');
    expect(rendered.html).toBe('<p>Hi &lt;b&gt;Tom&lt;/b&gt; &amp; &quot;Jerry&quot;, {missing}</p>');
    expect(rendered.unknown.sort()).toEqual(['missing', 'nope']);
  });

  it('keeps a signature separator "-- " whole in the text part, so mail clients still see the signature', () => {
    const rendered = renderTemplate({ subject: 's', body: '<p>Thanks for writing.</p><p>-- <br>{company_name} support</p>' }, { company_name: 'Acme' });
    expect(rendered.text).toBe('Thanks for writing.\n\n-- \nAcme support');
  });

  it('derives the text part from the one HTML body: paragraphs, line breaks, links, lists, tables; values as typed', () => {
    const body = [
      '<h2>Ticket {ticket_number}</h2>',
      '<p>Hello {guest_name},<br>we are on it.</p>',
      '<p>See <a href="{ticket_url}">your ticket</a> or <a href="{ticket_url}">{ticket_url}</a>.</p>',
      '<ul><li>Status: {status}</li><li>Priority: {priority}</li></ul>',
      '<table><tr><td>Subject</td><td>{subject}</td></tr></table>',
      '<div style="white-space:pre-wrap">{description}</div>',
    ].join('\n');
    const rendered = renderTemplate(
      { subject: 's', body },
      {
        ticket_number: 'TKT-2026-00001',
        guest_name: 'Ann <Admin>',
        ticket_url: 'https://help.example/t?a=1&b=2',
        status: 'In progress',
        priority: 'High',
        subject: 'Printer & scanner',
        description: 'Line one\nLine two',
      }
    );
    expect(rendered.text).toBe(
      [
        'Ticket TKT-2026-00001',
        '',
        'Hello Ann <Admin>,',
        'we are on it.',
        '',
        'See your ticket [https://help.example/t?a=1&b=2] or https://help.example/t?a=1&b=2.',
        '',
        ' * Status: In progress',
        ' * Priority: High',
        '',
        'Subject: Printer & scanner',
        '',
        'Line one',
        'Line two',
      ].join('\n')
    );
    // in HTML every value is escaped, attribute values too, and a value's line breaks are kept
    expect(rendered.html).toContain('<a href="https://help.example/t?a=1&amp;b=2">your ticket</a>');
    expect(rendered.html).toContain('Hello Ann &lt;Admin&gt;,');
    expect(rendered.html).toContain('Line one<br>Line two');
  });

  it('every seeded template uses only the variables the catalog gives it', () => {
    for (const template of DEFAULT_TEMPLATES) {
      expect(renderTemplate(template, sampleVariables(template.key)).unknown).toEqual([]);
    }
  });
});

describe('withTicketTag', () => {
  const number = 'TKT-2026-00001';
  it('adds the tag only when the subject does not name the ticket in any form', () => {
    expect(withTicketTag('Ticket Confirmation - #TKT-2026-00001', number)).toBe('Ticket Confirmation - #TKT-2026-00001');
    expect(withTicketTag('Re: tkt-2026-00001 printer', number)).toBe('Re: tkt-2026-00001 printer');
    expect(withTicketTag('[TKT-2026-00001] We received your request: Printer', number)).toBe('[TKT-2026-00001] We received your request: Printer');
    expect(withTicketTag('We received your request', number)).toBe('[TKT-2026-00001] We received your request');
    // another ticket's number is not this ticket's tag
    expect(withTicketTag('Follow-up to TKT-2026-00002', number)).toBe('[TKT-2026-00001] Follow-up to TKT-2026-00002');
    expect(withTicketTag('See TKT-2026-000012', number)).toBe('[TKT-2026-00001] See TKT-2026-000012');
  });

  it('finds the tag already in every seeded subject, so none is doubled', () => {
    // the team digest covers several tickets: it names none, so a reply to it opens no ticket's thread
    const digest = DEFAULT_TEMPLATES.find((template) => template.key === 'new_tickets_digest')!;
    expect(renderTemplate(digest, { ticket_number: number, ticket_count: 4, company_name: 'Acme' }).subject).toBe('4 more new tickets (Acme)');
    // a staff reply keeps the customer's subject, the number after it
    const reply = DEFAULT_TEMPLATES.find((template) => template.key === 'comment_notification')!;
    expect(replySubject(renderTemplate(reply, { ticket_number: number, subject: 'Printer' }).subject, number)).toBe(`Re: Printer [${number}]`);
    // an agent's digest covers several tickets too
    const agentDigest = DEFAULT_TEMPLATES.find((template) => template.key === 'agent_notifications_digest')!;
    expect(renderTemplate(agentDigest, { notification_count: 2 }).subject).toBe('2 more helpdesk notifications');
    for (const template of DEFAULT_TEMPLATES.filter((t) => t !== digest && t !== reply && t !== agentDigest)) {
      const subject = renderTemplate(template, { ticket_number: number, subject: 'Printer' }).subject;
      expect(withTicketTag(subject, number)).toBe(subject);
      expect(subject.startsWith(`[${number}] `)).toBe(true);
    }
  });

  it('makes a reply subject: one "Re:", the number once, at the end', () => {
    expect(replySubject('Printer jams', number)).toBe(`Re: Printer jams [${number}]`);
    expect(replySubject('Re: RE: Aw: Printer jams', number)).toBe(`Re: Printer jams [${number}]`);
    expect(replySubject(`Re: Printer jams [${number}]`, number)).toBe(`Re: Printer jams [${number}]`);
    expect(replySubject('Re: Follow-up to TKT-2026-00002', number)).toBe(`Re: Follow-up to TKT-2026-00002 [${number}]`);
  });
});

describe('email templates and settings', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  const post = (body: unknown) => helpdesk.submitGuest(body);
  const deliverAll = async (count: number) => {
    for (let i = 0; i < 100 && sink.messages.length < count; i += 1) {
      await outbox().deliverDue();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return sink.waitFor(count, 5000);
  };
  const saveSettings = async (data: Record<string, unknown>) => {
    const documents = helpdesk.strapi.documents(SETTINGS);
    const existing = await documents.findFirst({});
    if (existing) await documents.update({ documentId: existing.documentId, data } as never);
    else await documents.create({ data } as never);
  };

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', GUEST_RATE_LIMIT_MAX: '1000', CRON_ENABLED: 'false' },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });
  beforeEach(() => {
    sink.messages.length = 0;
  });

  it('seeds the default templates on first boot', async () => {
    const confirmation = await helpdesk.strapi.db.query(TEMPLATE).findOne({ where: { key: 'ticket_confirmation' } });
    expect(confirmation).toMatchObject({ subject: '[{ticket_number}] We received your request: {subject}', enabled: true });
    expect(confirmation.body).toContain('<strong>{ticket_number}</strong>');
    expect(confirmation).not.toHaveProperty('textBody');
  });

  it('uses a template edited in the admin panel, keeps unknown variables visible, logs them, and a reboot seed keeps the edit', async () => {
    const admin = await helpdesk.admin();
    const template = await helpdesk.strapi.db.query(TEMPLATE).findOne({ where: { key: 'ticket_confirmation' } });
    const edited = await helpdesk.request('PUT', `/content-manager/collection-types/${TEMPLATE}/${template.documentId}`, {
      token: admin.token,
      body: {
        key: 'ticket_confirmation',
        subject: 'We got it: {subject} ({company_name})',
        body: '<p>Dear {guest_name} {guest_surname}, ticket <b>{ticket_number}</b> is {status} ({priority}). {no_such_variable}</p>',
        enabled: true,
      },
    });
    expect(edited.status).toBe(200);
    await seedDefaultTemplates(helpdesk.strapi);

    const warnings: string[] = [];
    const warn = jest.spyOn(helpdesk.strapi.log, 'warn').mockImplementation(((message: string) => {
      warnings.push(String(message));
      return helpdesk.strapi.log;
    }) as never);
    const response = await post(guest('tom@example.test', { firstName: '<i>Tom</i> & Co' }));
    warn.mockRestore();
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { ticketNumber: string } };

    const [mail] = await deliverAll(1);
    expect(mail.parsed.subject).toBe(`[${data.ticketNumber}] We got it: Template check (Helpdesk)`);
    // the text part is the edited body's words, not a text body of its own
    expect(mail.parsed.text).toBe(`Dear Tom & Co Template, ticket ${data.ticketNumber} is New (Medium). {no_such_variable}`);
    expect(mail.parsed.html).toContain(`<p>Dear Tom &amp; Co Template, ticket <b>${data.ticketNumber}</b> is New (Medium). {no_such_variable}</p>`);
    expect(warnings.some((w) => w.includes('{no_such_variable}'))).toBe(true);
  });

  it('sends nothing for a disabled template', async () => {
    await helpdesk.strapi.db.query(TEMPLATE).update({ where: { key: 'ticket_confirmation' }, data: { enabled: false } });
    const before = await helpdesk.strapi.db.query(OUTBOX).count({});
    expect((await post(guest('quiet@example.test'))).status).toBe(201);
    expect(await helpdesk.strapi.db.query(OUTBOX).count({})).toBe(before);
    await helpdesk.strapi.db.query(TEMPLATE).update({ where: { key: 'ticket_confirmation' }, data: { enabled: true } });
  });

  it('notifies the team address from settings, and skips the confirmation when auto-reply is off', async () => {
    await saveSettings({ companyName: 'Acme', supportAddress: 'team@acme.test', autoReplyEnabled: false });
    expect((await post(guest('nobody@example.test'))).status).toBe(201);
    const [mail] = await deliverAll(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.messages).toHaveLength(1);
    expect(mail.envelopeTo).toEqual(['team@acme.test']);
    expect(mail.parsed.subject).toMatch(/^\[TKT-\d{4}-\d{5}\] New ticket: Template check$/);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.text).toContain('nobody@example.test');
  });

  it('confirms tickets from other origins that carry a requester email', async () => {
    await saveSettings({ companyName: 'Acme', supportAddress: null, autoReplyEnabled: true });
    const agent = await helpdesk.agent();
    const created = await helpdesk.request('POST', '/api/tickets', {
      token: agent.jwt,
      body: { data: { subject: 'Phoned in', email: 'caller@example.test', firstName: 'Cal' } },
    });
    expect(created.status).toBe(201);
    await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'No requester' } });
    const admin = await helpdesk.admin();
    const fromPanel = await helpdesk.request('POST', '/content-manager/collection-types/plugin::helpdesk.ticket', {
      token: admin.token,
      body: { subject: 'Walk-in', email: 'walkin@example.test', ticketStatus: 'open' },
    });
    expect(fromPanel.status).toBe(201);
    await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'Server side', email: 'code@example.test' } });

    await deliverAll(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // one confirmation per ticket with a requester email, whatever the origin; none without
    expect(sink.messages.map((m) => m.envelopeTo[0]).sort()).toEqual(['caller@example.test', 'code@example.test', 'walkin@example.test']);
    const mail = sink.messages.find((m) => m.envelopeTo[0] === 'caller@example.test')!;
    expect(mail.parsed.subject).toContain(`[${created.body.data.ticketNumber}]`);
    expect(fromPanel.body.data.ticketStatus).toBe('open');
  });
});

describe('without an SMTP server', () => {
  let helpdesk: Helpdesk;
  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '1000' } });
  });
  afterAll(() => helpdesk?.stop());

  it('keeps mail queued and readable, and the admin panel shows the outbox read-only', async () => {
    const response = await helpdesk.submitGuest(guest('queued@example.test'));
    expect(response.status).toBe(201);
    await (helpdesk.strapi.service(OUTBOX) as unknown as Outbox).deliverDue();
    const rows = await helpdesk.strapi.db.query(OUTBOX).findMany({});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ deliveryStatus: 'queued', attempts: 0, to: 'queued@example.test' });
    expect(rows[0].messageId).toMatch(/^<[0-9a-f-]+@helpdesk\.invalid>$/);

    const admin = await helpdesk.admin();
    const list = await helpdesk.request('GET', `/content-manager/collection-types/${OUTBOX}`, { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.results[0]).toMatchObject({ to: 'queued@example.test', deliveryStatus: 'queued' });
    const edit = await helpdesk.request('PUT', `/content-manager/collection-types/${OUTBOX}/${rows[0].documentId}`, {
      token: admin.token,
      body: { deliveryStatus: 'sent', lastError: 'forged' },
    });
    expect(edit.status).toBe(403);
    expect((await helpdesk.strapi.db.query(OUTBOX).findOne({ where: { id: rows[0].id } })).deliveryStatus).toBe('queued');
  });
});
