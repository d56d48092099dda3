import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SETTINGS = 'plugin::helpdesk.helpdesk-setting';

interface HistoryRow {
  action: string;
  fieldName: string | null;
  oldValue: string | null;
  newValue: string | null;
  note: string | null;
  actorType: string;
  actorName: string;
}

interface MailRow {
  to: string;
  subject: string;
  textBody: string;
  templateKey: string;
  messageId: string;
  headers: Record<string, string>;
}

/** Status changes, assignment and comments over REST and in the admin panel: one set of rules. */
describe('staff workflow', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let otherAgent: { id: number; jwt: string };
  let admin: { id: number; token: string };
  const sink = new SmtpSink();

  const history = async (ticketId: number | string): Promise<HistoryRow[]> =>
    (await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: ticketId } }, orderBy: { id: 'asc' } })) as HistoryRow[];
  const mails = async (ticketId: number | string, templateKey?: string): Promise<MailRow[]> =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({
      where: { ticket: { id: ticketId }, ...(templateKey ? { templateKey } : {}) },
      orderBy: { id: 'asc' },
    })) as MailRow[];
  const stored = async (documentId: string) => helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId } });

  /** A ticket from a requester, made by server code (no assignee, status new). */
  let tickets = 0;
  const newTicket = async (data: Record<string, unknown> = {}) =>
    helpdesk.strapi.documents(TICKET).create({
      data: { subject: `Workflow ${++tickets}`, email: `requester${tickets}@example.test`, firstName: 'Rita', ...data },
    });

  const post = (path: string, body: unknown, token = agent.jwt) => helpdesk.request('POST', path, { token, body });

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', CRON_ENABLED: 'false' },
    });
    agent = await helpdesk.agent('wendy@example.test');
    otherAgent = await helpdesk.agent('otto@example.test');
    admin = await helpdesk.admin();
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  describe('status', () => {
    it('moves a ticket through the status action, with the note in its one history row', async () => {
      const ticket = await newTicket();
      const response = await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'resolved', note: 'Replaced the toner' } });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ documentId: ticket.documentId, ticketStatus: 'resolved' });
      expect(response.body.data.resolvedAt).toBeTruthy();
      const rows = await history(ticket.id);
      expect(rows.slice(1)).toEqual([
        expect.objectContaining({ action: 'status_changed', fieldName: 'ticketStatus', oldValue: 'new', newValue: 'resolved', note: 'Replaced the toner', actorType: 'agent', actorName: 'wendy' }),
      ]);
    });

    it('refuses an illegal move with a 400 naming both states, and changes nothing', async () => {
      const ticket = await newTicket({ ticketStatus: 'closed' });
      const before = await history(ticket.id);
      const mailsBefore = (await mails(ticket.id)).length;
      const response = await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'in_progress' } });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/closed/);
      expect(response.body.error.message).toMatch(/in_progress/);
      expect((await stored(ticket.documentId)).ticketStatus).toBe('closed');
      expect(await history(ticket.id)).toEqual(before);
      expect(await mails(ticket.id)).toHaveLength(mailsBefore);

      // closed can only be reopened, and reopened behaves as open
      expect((await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'reopened' } })).status).toBe(200);
      expect((await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'in_progress' } })).status).toBe(200);
      expect((await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'new' } })).status).toBe(400);
    });

    it('guards a core PUT and the Content Manager with the same table', async () => {
      const ticket = await newTicket({ ticketStatus: 'closed' });
      const put = await helpdesk.request('PUT', `/api/tickets/${ticket.documentId}`, { token: agent.jwt, body: { data: { ticketStatus: 'open' } } });
      expect(put.status).toBe(400);
      expect(put.body.error.message).toBe('a ticket cannot move from closed to open');

      const cm = `/content-manager/collection-types/${TICKET}/${ticket.documentId}`;
      const form = (await helpdesk.request('GET', cm, { token: admin.token })).body.data;
      const { id, documentId, createdAt, updatedAt, ...fields } = form;
      const edit = await helpdesk.request('PUT', cm, { token: admin.token, body: { ...fields, ticketStatus: 'open' } });
      expect(edit.status).toBe(400);
      expect((await stored(ticket.documentId)).ticketStatus).toBe('closed');
      expect((await history(ticket.id)).map((r) => r.action)).toEqual(['created']);

      const reopen = await helpdesk.request('PUT', cm, { token: admin.token, body: { ...fields, ticketStatus: 'reopened' } });
      expect(reopen.status).toBe(200);
      expect((await history(ticket.id)).map((r) => [r.action, r.actorType])).toEqual([['created', 'system'], ['status_changed', 'admin']]);
    });

    it('mails the requester once per change to a status settings name, from every origin', async () => {
      const ticket = await newTicket();
      await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'in_progress' } });
      expect(await mails(ticket.id, 'status_changed')).toHaveLength(0); // in_progress is not in the default list
      await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'pending', note: 'Waiting for your logs' } });
      await helpdesk.request('PUT', `/api/tickets/${ticket.documentId}`, { token: agent.jwt, body: { data: { ticketStatus: 'resolved' } } });
      await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { ticketStatus: 'closed' } });
      const sent = await mails(ticket.id, 'status_changed');
      expect(sent.map((m) => [m.to, m.subject])).toEqual([
        [ticket.email, `[${ticket.ticketNumber}] Your request is now Pending: ${ticket.subject}`],
        [ticket.email, `[${ticket.ticketNumber}] Your request is now Resolved: ${ticket.subject}`],
        [ticket.email, `[${ticket.ticketNumber}] Your request is now Closed: ${ticket.subject}`],
      ]);
      expect(sent[0].textBody).toContain('moved from In progress to Pending');
      expect(sent[0].textBody).toContain('Waiting for your logs');
      // threaded after the confirmation: In-Reply-To names the last mail the requester got
      const [confirmation] = await mails(ticket.id, 'ticket_confirmation');
      expect(sent[0].headers['In-Reply-To']).toBe(confirmation.messageId);
      expect(sent[2].headers.References.split(' ')).toEqual([confirmation.messageId, sent[0].messageId, sent[1].messageId]);
    });

    it('follows the per-status list in settings', async () => {
      const existing = await helpdesk.strapi.documents(SETTINGS).findFirst({});
      const data = { notifyRequesterOnStatus: ['in_progress'] };
      if (existing) await helpdesk.strapi.documents(SETTINGS).update({ documentId: existing.documentId, data } as never);
      else await helpdesk.strapi.documents(SETTINGS).create({ data } as never);
      try {
        const ticket = await newTicket();
        await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'in_progress' } });
        await post(`/api/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'resolved' } });
        expect((await mails(ticket.id, 'status_changed')).map((m) => m.subject)).toEqual([
          `[${ticket.ticketNumber}] Your request is now In progress: ${ticket.subject}`,
        ]);
      } finally {
        const settings = await helpdesk.strapi.documents(SETTINGS).findFirst({});
        await helpdesk.strapi.documents(SETTINGS).update({ documentId: settings!.documentId, data: { notifyRequesterOnStatus: null } } as never);
      }
    });

    it('answers 404 for an unknown ticket and 400 for a bad body', async () => {
      expect((await post('/api/tickets/no-such-ticket/status', { data: { ticketStatus: 'open' } })).status).toBe(404);
      const ticket = await newTicket();
      for (const body of [{}, { data: {} }, { data: { ticketStatus: 'done' } }, { data: { ticketStatus: 'open', extra: 1 } }, { data: { ticketStatus: 'open', note: 'x'.repeat(2001) } }]) {
        const response = await post(`/api/tickets/${ticket.documentId}/status`, body);
        expect([JSON.stringify(body).slice(0, 60), response.status, response.body.error?.name]).toEqual([JSON.stringify(body).slice(0, 60), 400, 'ValidationError']);
      }
      expect((await stored(ticket.documentId)).ticketStatus).toBe('new');
    });
  });

  describe('assignment', () => {
    it('assigns an agent by id, by "me" and unassigns, with history and one mail to each new assignee but not for their own "me"', async () => {
      const ticket = await newTicket();
      const toOther = await post(`/api/tickets/${ticket.documentId}/assign`, { data: { agent: otherAgent.id } });
      expect(toOther.status).toBe(200);
      const toMe = await post(`/api/tickets/${ticket.documentId}/assign`, { data: { agent: 'me' } });
      expect(toMe.status).toBe(200);
      const unassign = await post(`/api/tickets/${ticket.documentId}/assign`, { data: { agent: null } });
      expect(unassign.status).toBe(200);

      expect((await history(ticket.id)).slice(1).map((r) => [r.action, r.oldValue, r.newValue])).toEqual([
        ['assigned', null, 'otto'],
        ['assigned', 'otto', 'wendy'],
        ['assigned', 'wendy', null],
      ]);
      // wendy took it herself: nobody is mailed about their own action
      const sent = await mails(ticket.id, 'assignment_notification');
      expect(sent.map((m) => [m.to, m.subject])).toEqual([['otto@example.test', `[${ticket.ticketNumber}] Assigned to you: ${ticket.subject}`]]);
      expect(sent[0].textBody).toContain('Hello otto');
    });

    it('mails an assignee chosen in the Content Manager too, once', async () => {
      const ticket = await newTicket();
      const cm = `/content-manager/collection-types/${TICKET}/${ticket.documentId}`;
      const edit = await helpdesk.request('PUT', cm, { token: admin.token, body: { assignee: { connect: [{ id: otherAgent.id }] } } });
      expect(edit.status).toBe(200);
      expect((await mails(ticket.id, 'assignment_notification')).map((m) => m.to)).toEqual(['otto@example.test']);
    });

    it('refuses a blocked agent as a new assignee from the Content Manager and the REST action, and keeps a ticket editable whose agent was blocked since', async () => {
      const leaver = await helpdesk.agent('leaver@example.test');
      const kept = await newTicket();
      const cm = (documentId: string) => `/content-manager/collection-types/${TICKET}/${documentId}`;
      expect((await helpdesk.request('PUT', cm(kept.documentId), { token: admin.token, body: { assignee: { connect: [{ id: leaver.id }] } } })).status).toBe(200);
      await helpdesk.strapi.db.query('plugin::users-permissions.user').update({ where: { id: leaver.id }, data: { blocked: true } });

      const fresh = await newTicket();
      const viaPanel = await helpdesk.request('PUT', cm(fresh.documentId), { token: admin.token, body: { assignee: { connect: [{ id: leaver.id }] } } });
      expect(viaPanel.status).toBe(400);
      expect(viaPanel.body.error.details.errors[0]).toMatchObject({ path: ['assignee'], message: 'assignee must be an active user with the Agent role' });
      const viaRest = await post(`/api/tickets/${fresh.documentId}/assign`, { data: { agent: leaver.id } });
      expect(viaRest.status).toBe(400);
      expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: fresh.id }, populate: { assignee: true } })).assignee).toBeNull();

      // the ticket the agent kept: other fields still change, and it can be handed to an active agent
      expect((await helpdesk.request('PUT', cm(kept.documentId), { token: admin.token, body: { priority: 'high' } })).status).toBe(200);
      expect((await post(`/api/tickets/${kept.documentId}/assign`, { data: { agent: otherAgent.id } })).status).toBe(200);
    });

    it('refuses a non-agent, an unknown user and an unknown ticket, changing nothing', async () => {
      const ticket = await newTicket();
      const plain = await helpdesk.strapi.plugin('users-permissions').service('user').add({
        username: 'plain', email: 'plain@example.test', password: 'Correct-Horse-9', provider: 'local', confirmed: true,
        role: (await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })).id,
      });
      for (const agentRef of [plain.id, 999999, 'no-such-user']) {
        const response = await post(`/api/tickets/${ticket.documentId}/assign`, { data: { agent: agentRef } });
        expect(response.status).toBe(400);
        expect(response.body.error.details.errors[0].path).toEqual(['agent']);
      }
      expect((await post('/api/tickets/nope/assign', { data: { agent: agent.id } })).status).toBe(404);
      expect((await post(`/api/tickets/${ticket.documentId}/assign`, { data: {} })).status).toBe(400);
      expect((await history(ticket.id)).map((r) => r.action)).toEqual(['created']);
      expect(await mails(ticket.id, 'assignment_notification')).toHaveLength(0);
    });
  });

  describe('comments', () => {
    it('mails a public staff comment to the requester, threaded, with the text and the author, and stamps the first response once', async () => {
      const ticket = await newTicket();
      const first = await post(`/api/tickets/${ticket.documentId}/comments`, { data: { body: 'Have you tried turning it off and on?' } });
      expect(first.status).toBe(201);
      expect(first.body.data).toMatchObject({ body: 'Have you tried turning it off and on?', isInternal: false, authorType: 'staff', authorName: 'wendy' });
      const firstResponseAt = (await stored(ticket.documentId)).firstResponseAt;
      expect(firstResponseAt).toBeTruthy();

      await post(`/api/tickets/${ticket.documentId}/comments`, { data: { body: 'Any news?' } });
      expect((await stored(ticket.documentId)).firstResponseAt).toEqual(firstResponseAt);

      const sent = await mails(ticket.id, 'comment_notification');
      expect(sent).toHaveLength(2);
      expect(sent[0]).toMatchObject({ to: ticket.email, subject: `Re: ${ticket.subject} [${ticket.ticketNumber}]` });
      expect(sent[0].textBody).toContain('Have you tried turning it off and on?');
      expect(sent[0].textBody).toContain('wendy, Helpdesk support');
      expect(sent[0].headers['Auto-Submitted']).toBeUndefined();

      // delivered for real: the requester's mail client sees the thread
      sink.messages.length = 0;
      const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
      for (let i = 0; i < 50 && !sink.messages.some((m) => m.parsed.messageId === sent[1].messageId); i += 1) await outbox.deliverDue();
      const delivered = sink.messages.find((m) => m.parsed.messageId === sent[1].messageId)!;
      const [confirmation] = await mails(ticket.id, 'ticket_confirmation');
      expect(delivered.parsed.inReplyTo).toBe(sent[0].messageId);
      expect(delivered.parsed.references).toEqual([confirmation.messageId, sent[0].messageId]);
    });

    it('never mails an internal note and does not count it as a first response', async () => {
      const ticket = await newTicket();
      const note = await post(`/api/tickets/${ticket.documentId}/comments`, { data: { body: 'Customer is on the old plan', isInternal: true } });
      expect(note.status).toBe(201);
      expect(await mails(ticket.id, 'comment_notification')).toHaveLength(0);
      expect((await stored(ticket.documentId)).firstResponseAt).toBeNull();
      expect((await history(ticket.id)).map((r) => [r.action, r.newValue?.split(' #')[0]])).toEqual([['created', ticket.ticketNumber], ['commented', 'internal note']]);
    });

    it('applies the same rules to a comment staff add in the Content Manager', async () => {
      const ticket = await newTicket();
      const response = await helpdesk.request('POST', `/content-manager/collection-types/${COMMENT}`, {
        token: admin.token,
        body: { body: 'Fixed on our side', isInternal: false, ticket: { connect: [{ documentId: ticket.documentId }] } },
      });
      expect(response.status).toBe(201);
      const sent = await mails(ticket.id, 'comment_notification');
      expect(sent).toHaveLength(1);
      expect(sent[0].textBody).toContain('Fixed on our side');
      expect(sent[0].textBody).toContain('Ada Admin, Helpdesk support');
      expect((await stored(ticket.documentId)).firstResponseAt).toBeTruthy();

      const internal = await helpdesk.request('POST', `/content-manager/collection-types/${COMMENT}`, {
        token: admin.token,
        body: { body: 'Internal only', isInternal: true, ticket: { connect: [{ documentId: ticket.documentId }] } },
      });
      expect(internal.status).toBe(201);
      expect(await mails(ticket.id, 'comment_notification')).toHaveLength(1);
    });

    it('refuses an over-long or empty comment and an unknown ticket, writing nothing', async () => {
      const ticket = await newTicket();
      const comments = await helpdesk.strapi.db.query(COMMENT).count({});
      for (const body of ['x'.repeat(50001), '   ', '']) {
        const response = await post(`/api/tickets/${ticket.documentId}/comments`, { data: { body } });
        expect(response.status).toBe(400);
      }
      expect((await post('/api/tickets/nope/comments', { data: { body: 'hello' } })).status).toBe(404);
      expect(await helpdesk.strapi.db.query(COMMENT).count({})).toBe(comments);
      expect((await history(ticket.id)).map((r) => r.action)).toEqual(['created']);
      expect(await mails(ticket.id, 'comment_notification')).toHaveLength(0);
    });
  });

  describe('access', () => {
    it('keeps the actions from the public and from signed-in users without the Agent role', async () => {
      const ticket = await newTicket();
      const customer = await helpdesk.customer('nosy@example.test');
      const tokens = [undefined, customer.jwt];
      for (const token of tokens) {
        for (const [action, body] of [
          ['status', { data: { ticketStatus: 'open' } }],
          ['assign', { data: { agent: null } }],
          ['comments', { data: { body: 'hi' } }],
        ] as const) {
          const response = await helpdesk.request('POST', `/api/tickets/${ticket.documentId}/${action}`, { token, body });
          expect([action, Boolean(token), response.status]).toEqual([action, Boolean(token), 403]);
        }
      }
    });
  });
});

/** Due dates from the per-priority policy in settings. */
describe('SLA due dates', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  const HOUR = 3_600_000;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    agent = await helpdesk.agent();
  });
  afterAll(() => helpdesk?.stop());

  const times = (ticket: { createdAt: unknown; dueDate: unknown; firstResponseDueAt: unknown }) => {
    const created = new Date(String(ticket.createdAt)).getTime();
    // SLA clocks start when the hook runs, a few milliseconds before Strapi stamps createdAt
    const hours = (value: unknown) => Math.round(((new Date(String(value)).getTime() - created) / HOUR) * 100) / 100;
    return { resolutionHours: hours(ticket.dueDate), firstResponseHours: hours(ticket.firstResponseDueAt) };
  };
  const reload = (documentId: string) => helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId } });

  it('sets due dates on create from the priority, and moves them when the priority changes', async () => {
    const created = await helpdesk.request('POST', '/api/tickets', { token: agent.jwt, body: { data: { subject: 'SLA', priority: 'urgent' } } });
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId;
    expect(times(await reload(documentId))).toEqual({ resolutionHours: 4, firstResponseHours: 1 });

    await helpdesk.request('PUT', `/api/tickets/${documentId}`, { token: agent.jwt, body: { data: { priority: 'low' } } });
    expect(times(await reload(documentId))).toEqual({ resolutionHours: 168, firstResponseHours: 24 });
    const history = await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { documentId } }, orderBy: { id: 'asc' } });
    expect(history.map((r: HistoryRow) => r.action)).toEqual(['created', 'priority_changed', 'due_date_changed']);
  });

  it('keeps a due date set by hand through priority changes', async () => {
    const due = '2031-03-01T12:00:00.000Z';
    const created = await helpdesk.request('POST', '/api/tickets', { token: agent.jwt, body: { data: { subject: 'Manual', priority: 'low', dueDate: due } } });
    const documentId = created.body.data.documentId;
    await helpdesk.request('PUT', `/api/tickets/${documentId}`, { token: agent.jwt, body: { data: { priority: 'critical' } } });
    const ticket = await reload(documentId);
    expect(new Date(ticket.dueDate).toISOString()).toBe(due);
    expect(times(ticket).firstResponseHours).toBe(0.5);

    // a ticket on the policy becomes manual once staff move its due date
    const onPolicy = await helpdesk.request('POST', '/api/tickets', { token: agent.jwt, body: { data: { subject: 'Policy' } } });
    await helpdesk.request('PUT', `/api/tickets/${onPolicy.body.data.documentId}`, { token: agent.jwt, body: { data: { dueDate: due } } });
    await helpdesk.request('PUT', `/api/tickets/${onPolicy.body.data.documentId}`, { token: agent.jwt, body: { data: { priority: 'urgent' } } });
    expect(new Date((await reload(onPolicy.body.data.documentId)).dueDate).toISOString()).toBe(due);
  });

  it('uses the policy staff saved in settings', async () => {
    await helpdesk.strapi.documents(SETTINGS).create({ data: { slaPolicy: { high: { firstResponseHours: 2, resolutionHours: 10 } } } } as never);
    const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Custom policy', priority: 'high' } });
    expect(times(await reload(ticket.documentId))).toEqual({ resolutionHours: 10, firstResponseHours: 2 });
    // priorities the saved policy leaves out keep the defaults
    const medium = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Default policy' } });
    expect(times(await reload(medium.documentId))).toEqual({ resolutionHours: 72, firstResponseHours: 8 });
  });
});
