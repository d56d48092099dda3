import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import { createAgent } from '../src/plugins/helpdesk/server/src/access/roles';
import { historySentence } from '../src/plugins/helpdesk/server/src/back-office/ticket-view/words';
import * as adminLabels from '../src/plugins/helpdesk/admin/src/lib/labels';
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS, type TicketViewData, type TimelineItem } from '../src/plugins/helpdesk/shared/contract';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const ATTACHMENT = 'plugin::helpdesk.attachment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const FILE = 'plugin::upload.file';
const PASSWORD = 'Correct-Horse-9';

// a 1x1 transparent PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);

interface MailRow {
  to: string;
  templateKey: string;
  messageId: string;
  headers: Record<string, string>;
  textBody: string;
}

describe('history in words (the one sentence builder)', () => {
  const row = (action: string, oldValue: string | null, newValue: string | null, actorName = 'Ann Agent', actorType = 'agent') => ({
    action,
    oldValue,
    newValue,
    actorName,
    actorType,
  });

  it('names the person and uses the words staff read', () => {
    expect(historySentence(row('status_changed', 'open', 'resolved'))).toBe('Ann Agent changed status from Open to Resolved');
    expect(historySentence(row('status_changed', 'in_progress', 'on_hold'))).toBe('Ann Agent changed status from In progress to On hold');
    expect(historySentence(row('assigned', null, 'Bob'))).toBe('Ann Agent assigned the ticket to Bob');
    expect(historySentence(row('assigned', 'Bob', 'Carl'))).toBe('Ann Agent reassigned the ticket from Bob to Carl');
    expect(historySentence(row('assigned', 'Bob', null))).toBe('Ann Agent unassigned the ticket (was Bob)');
    expect(historySentence(row('priority_changed', 'medium', 'high', 'whoever', 'system'))).toBe('System changed priority from Medium to High');
    expect(historySentence(row('category_changed', 'support', 'feature_request'))).toBe('Ann Agent changed category from Support to Feature request');
    expect(historySentence(row('due_date_changed', null, '2026-03-05T14:30:00.000Z'))).toBe('Ann Agent set the due date to 2026-03-05 14:30 UTC');
    expect(historySentence(row('due_date_changed', '2026-03-05T14:30:00.000Z', '2026-03-06T09:00:00.000Z'))).toBe(
      'Ann Agent changed the due date from 2026-03-05 14:30 UTC to 2026-03-06 09:00 UTC'
    );
    expect(historySentence(row('due_date_changed', '2026-03-05T14:30:00.000Z', null))).toBe('Ann Agent removed the due date');
    expect(historySentence(row('attachment_added', null, 'logs.txt'))).toBe('Ann Agent attached logs.txt');
    expect(historySentence(row('tags_changed', null, 'printer, vip'))).toBe('Ann Agent tagged the ticket printer, vip');
    expect(historySentence(row('tags_changed', 'printer', 'printer, vip'))).toBe('Ann Agent changed the tags from printer to printer, vip');
    expect(historySentence(row('tags_changed', 'printer', null))).toBe('Ann Agent removed the tags (were printer)');
    // a value nobody has a word for is shown as it is
    expect(historySentence(row('status_changed', 'open', 'archived'))).toBe('Ann Agent changed status from Open to archived');
  });

  it('uses the same labels as the admin pages', () => {
    // one table each (src/shared/contract.ts), which the admin pages and the timeline share
    expect(adminLabels.STATUS_LABELS).toBe(STATUS_LABELS);
    expect(adminLabels.PRIORITY_LABELS).toBe(PRIORITY_LABELS);
    expect(adminLabels.CATEGORY_LABELS).toBe(CATEGORY_LABELS);
  });
});

/** The back office's ticket routes (admin JWT): what the ticket view page reads and does. */
describe('back office: ticket view API', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();
  let ann: { id: number; token: string };
  let annAgentId: number;
  let bob: { id: number; jwt: string };
  let plainAdmin: { id: number; token: string };
  let tickets = 0;

  const newTicket = async (data: Record<string, unknown> = {}) =>
    helpdesk.strapi.documents(TICKET).create({
      data: { subject: `Printer ${++tickets} jams`, description: 'It jams on every page.', email: `rita${tickets}@example.test`, firstName: 'Rita', lastName: 'Requester', ...data },
    });
  const url = (documentId: string, rest = '') => `/helpdesk-admin/tickets/${documentId}${rest}`;
  const view = async (documentId: string, token = ann.token) => helpdesk.request<{ data: TicketViewData }>('GET', url(documentId), { token });
  const call = (method: string, documentId: string, rest: string, body: unknown, token = ann.token) =>
    helpdesk.request(method, url(documentId, rest), { token, body });
  const mails = async (ticketId: number | string, templateKey?: string) =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticketId }, ...(templateKey ? { templateKey } : {}) }, orderBy: { id: 'asc' } })) as MailRow[];
  const historyOf = async (ticketId: number | string) =>
    (await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: ticketId } }, orderBy: { id: 'asc' } })) as Array<{
      action: string;
      actorName: string;
      oldValue: string | null;
      newValue: string | null;
      note: string | null;
    }>;
  const stored = (documentId: string) => helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId }, populate: { assignee: true } });
  /** Everything a refused action must leave as it was. */
  const snapshot = async (ticketId: number | string) => ({
    comments: await helpdesk.strapi.db.query(COMMENT).count({ where: { ticket: { id: ticketId } } }),
    attachments: await helpdesk.strapi.db.query(ATTACHMENT).count({}),
    files: await helpdesk.strapi.db.query(FILE).count({}),
    history: (await historyOf(ticketId)).length,
    mails: (await mails(ticketId)).length,
    ticket: await stored((await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticketId } })).documentId),
  });
  const events = (timeline: TimelineItem[]) => timeline.filter((item) => item.type === 'event').map((item) => (item.type === 'event' ? item.text : ''));
  const messages = (timeline: TimelineItem[]) =>
    timeline.flatMap((item) => (item.type === 'message' ? [{ kind: item.kind, author: item.author, body: item.body }] : []));

  const postMultipart = async (documentId: string, fields: Record<string, string>, files: Array<{ name: string; type: string; content: Buffer | string }>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append('files', new Blob([file.content], { type: file.type }), file.name);
    const response = await fetch(`${helpdesk.baseUrl}${url(documentId, '/replies')}`, { method: 'POST', headers: { authorization: `Bearer ${ann.token}` }, body: form });
    return { status: response.status, body: (await response.json()) as { data: TicketViewData; error?: { message: string } } };
  };

  /** Delivers the outbox until the mail with `messageId` reached the sink. */
  const deliver = async (messageId: string) => {
    const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
    for (let i = 0; i < 50 && !sink.messages.some((m) => m.parsed.messageId === messageId); i += 1) await outbox.deliverDue();
    return sink.messages.filter((m) => m.parsed.messageId === messageId);
  };

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', CRON_ENABLED: 'false' },
    });
    // one staff identity: a super admin who also has an agent account with the same email
    ann = await helpdesk.admin('ann@example.test');
    annAgentId = (await createAgent(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' })).id;
    bob = await helpdesk.agent('bob@example.test');
    plainAdmin = await helpdesk.admin('nobody-agent@example.test');
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('needs an admin session, and answers 404 for a ticket that does not exist', async () => {
    const ticket = await newTicket();
    expect((await helpdesk.request('GET', url(ticket.documentId))).status).toBe(401);
    expect((await helpdesk.request('GET', url(ticket.documentId), { token: bob.jwt })).status).toBe(401);
    const missing = await view('no-such-ticket');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { status: 404, name: 'NotFoundError', message: 'Ticket not found' } });
    expect((await call('POST', 'no-such-ticket', '/replies', { body: 'hello' })).status).toBe(404);
    expect((await call('POST', 'no-such-ticket', '/assign', { agent: 'me' })).status).toBe(404);
    expect((await call('PUT', 'no-such-ticket', '', { priority: 'high' })).status).toBe(404);
  });

  it('shows the ticket, its requester with their other tickets, and the conversation with history in words, in time order', async () => {
    const customer = await helpdesk.customer('gina@example.test');
    const older = await newTicket({ email: 'gina@example.test', firstName: 'Gina', lastName: 'Gray', phone: '+44 20 7946 0000', company: 'Gray Ltd', subject: 'Old invoice' });
    const ticket = await newTicket({ email: 'gina@example.test', firstName: 'Gina', lastName: 'Gray', phone: '+44 20 7946 0000', company: 'Gray Ltd', tags: ['printer', 'vip'] });
    const rest = (path: string, body: unknown, token: string) => helpdesk.request('POST', `/api${path}`, { token, body });

    expect((await rest(`/tickets/${ticket.documentId}/status`, { data: { ticketStatus: 'in_progress' } }, bob.jwt)).status).toBe(200);
    expect((await rest(`/tickets/${ticket.documentId}/comments`, { data: { body: 'Which model is it?' } }, bob.jwt)).status).toBe(201);
    expect((await rest(`/portal/tickets/${ticket.documentId}/comments`, { data: { body: 'A LaserJet 4000.' } }, customer.jwt)).status).toBe(201);
    expect((await rest(`/tickets/${ticket.documentId}/comments`, { data: { body: 'Spare parts are in the basement', isInternal: true } }, bob.jwt)).status).toBe(201);
    await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { priority: 'high' } });
    expect((await rest(`/tickets/${ticket.documentId}/assign`, { data: { agent: 'me' } }, bob.jwt)).status).toBe(200);

    const response = await view(ticket.documentId);
    expect(response.status).toBe(200);
    const { data } = response.body;
    expect(data.ticket).toMatchObject({
      documentId: ticket.documentId,
      number: ticket.ticketNumber,
      subject: ticket.subject,
      description: 'It jams on every page.',
      status: 'in_progress',
      priority: 'high',
      category: 'general',
      source: 'api',
      overdue: false,
      tags: ['printer', 'vip'],
      assignee: { id: bob.id, name: 'bob' },
    });
    expect(data.ticket.dueDate).toEqual(expect.any(String));
    expect(data.requester).toEqual({
      name: 'Gina Gray',
      email: 'gina@example.test',
      phone: '+44 20 7946 0000',
      company: 'Gray Ltd',
      otherTickets: [{ documentId: older.documentId, number: older.ticketNumber, subject: 'Old invoice', status: 'new' }],
    });
    expect(data.viewer).toEqual({ agentId: annAgentId, name: 'Ann Agent' });

    // the conversation: messages of each kind, history lines in words between them, in time order
    expect(data.timeline.map((item) => (item.type === 'message' ? `${item.kind}: ${item.author}: ${item.body}` : `event: ${item.type === 'event' ? item.text : ''}`))).toEqual([
      'opening: Gina Gray: It jams on every page.',
      'event: bob changed status from New to In progress',
      'public_reply: bob: Which model is it?',
      // the requester's own account wrote it: its name
      'customer: Gina Gray: A LaserJet 4000.',
      'internal_note: bob: Spare parts are in the basement',
      'event: System changed priority from Medium to High',
      expect.stringMatching(/^event: System changed the due date from \d{4}-\d\d-\d\d \d\d:\d\d UTC to \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      'event: bob assigned the ticket to bob',
    ]);
    const times = data.timeline.map((item) => new Date(item.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('sends a public reply: one comment, exactly one mail to the requester, threaded after the earlier ones', async () => {
    const ticket = await newTicket();
    const before = await mails(ticket.id);
    const response = await call('POST', ticket.documentId, '/replies', { body: 'We are sending a technician.', isInternal: false });
    expect(response.status).toBe(201);
    // the reply, then the move the first reply makes (New to Open: Helpdesk settings, Open on first reply)
    const [reply, opened] = (response.body.data as TicketViewData).timeline.slice(-2);
    expect(reply).toMatchObject({ type: 'message', kind: 'public_reply', body: 'We are sending a technician.' });
    expect(opened).toMatchObject({ type: 'event', action: 'status_changed' });
    expect((response.body.data as TicketViewData).ticket.status).toBe('open');
    expect(['Ada Admin', 'Ann Agent']).toContain(reply?.type === 'message' ? reply.author : '');

    const sent = (await mails(ticket.id)).slice(before.length);
    expect(sent.map((mail) => [mail.templateKey, mail.to])).toEqual([['comment_notification', ticket.email]]);
    expect(sent[0].textBody).toContain('We are sending a technician.');

    sink.messages.length = 0;
    const delivered = await deliver(sent[0].messageId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].envelopeTo).toEqual([ticket.email]);
    const [confirmation] = await mails(ticket.id, 'ticket_confirmation');
    expect(delivered[0].parsed.inReplyTo).toBe(confirmation.messageId);
    expect([delivered[0].parsed.references].flat()).toEqual([confirmation.messageId]);
    expect(String(delivered[0].parsed.subject)).toContain(ticket.ticketNumber);
    // the reply counts as the first response
    expect((await stored(ticket.documentId)).firstResponseAt).toBeTruthy();
  });

  it('adds an internal note that is never mailed', async () => {
    const ticket = await newTicket();
    const before = await mails(ticket.id);
    const response = await call('POST', ticket.documentId, '/replies', { body: 'Customer is on the old plan', isInternal: true });
    expect(response.status).toBe(201);
    expect(messages((response.body.data as TicketViewData).timeline).at(-1)).toMatchObject({ kind: 'internal_note', body: 'Customer is on the old plan' });
    expect(await mails(ticket.id)).toHaveLength(before.length);
    expect((await stored(ticket.documentId)).firstResponseAt).toBeNull();
  });

  it('sends and sets the status in one go: the reply, then the status line, one mail telling both', async () => {
    const ticket = await newTicket();
    const before = await mails(ticket.id);
    const response = await call('POST', ticket.documentId, '/replies', { body: 'Fixed: the roller was worn.', ticketStatus: 'resolved' });
    expect(response.status).toBe(201);
    const data = response.body.data as TicketViewData;
    expect(data.ticket.status).toBe('resolved');
    const tail = data.timeline.slice(-2);
    expect(tail[0]).toMatchObject({ type: 'message', kind: 'public_reply', body: 'Fixed: the roller was worn.' });
    expect(tail[1]).toMatchObject({ type: 'event', action: 'status_changed' });
    expect(tail[1].type === 'event' && tail[1].text).toMatch(/^(Ada Admin|Ann Agent) changed status from New to Resolved$/);
    const sent = (await mails(ticket.id)).slice(before.length);
    expect(sent.map((mail) => mail.templateKey)).toEqual(['comment_notification']);
    expect(sent[0].textBody).toContain('Fixed: the roller was worn.');
    expect(sent[0].textBody).toContain('Status: moved from New to Resolved.');
    expect((await historyOf(ticket.id)).map((row) => row.action)).toEqual(['created', 'commented', 'status_changed']);
  });

  it('refuses an illegal move or a bad status before saving anything (also with files)', async () => {
    const ticket = await newTicket({ ticketStatus: 'closed' });
    const before = await snapshot(ticket.id);
    const illegal = await call('POST', ticket.documentId, '/replies', { body: 'Back on it', ticketStatus: 'in_progress' });
    expect(illegal.status).toBe(400);
    expect(illegal.body.error).toMatchObject({ name: 'ValidationError', message: 'a ticket cannot move from closed to in_progress' });
    const unknown = await call('POST', ticket.documentId, '/replies', { body: 'Back on it', ticketStatus: 'archived' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.errors[0].path).toEqual(['ticketStatus']);
    const withFiles = await postMultipart(ticket.documentId, { body: 'Logs attached', ticketStatus: 'open' }, [{ name: 'log.txt', type: 'text/plain', content: 'log' }]);
    expect(withFiles.status).toBe(400);
    const empty = await call('POST', ticket.documentId, '/replies', { body: '   ' });
    expect(empty.status).toBe(400);
    const extra = await call('POST', ticket.documentId, '/replies', { body: 'hi', isInternal: false, cc: 'x@example.test' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toBe('cc: cc is not a known field');
    const statusRoute = await call('POST', ticket.documentId, '/status', { ticketStatus: 'in_progress' });
    expect(statusRoute.status).toBe(400);
    expect(statusRoute.body.error.message).toBe('a ticket cannot move from closed to in_progress');
    expect(await snapshot(ticket.id)).toEqual(before);

    // a refused file: no comment, no attachment, no stored file
    const open = await newTicket();
    const openBefore = await snapshot(open.id);
    const exe = await postMultipart(open.documentId, { body: 'Run this fix' }, [{ name: 'fix.exe', type: 'application/octet-stream', content: EXE }]);
    expect(exe.status).toBe(400);
    expect(exe.body.error?.message).toMatch(/fix\.exe/);
    expect(await snapshot(open.id)).toEqual(openBefore);
  });

  it('moves the status with a note through the status route', async () => {
    const ticket = await newTicket();
    const response = await call('POST', ticket.documentId, '/status', { ticketStatus: 'pending', note: 'Waiting for the logs' });
    expect(response.status).toBe(200);
    expect(response.body.data.ticket.status).toBe('pending');
    const last = (response.body.data as TicketViewData).timeline.at(-1);
    expect(last).toMatchObject({ type: 'event', note: 'Waiting for the logs' });
    expect(last?.type === 'event' && last.text).toMatch(/changed status from New to Pending$/);
    expect((await call('POST', ticket.documentId, '/status', { ticketStatus: 'done' })).status).toBe(400);
    expect((await call('POST', ticket.documentId, '/status', {})).status).toBe(400);
  });

  it('assigns to me (the admin\'s agent account), to another agent, and unassigns; an admin without an agent account is told why', async () => {
    const ticket = await newTicket();
    const mine = await call('POST', ticket.documentId, '/assign', { agent: 'me' });
    expect(mine.status).toBe(200);
    expect(mine.body.data.ticket.assignee).toMatchObject({ id: annAgentId, name: 'Ann Agent' });
    expect((await stored(ticket.documentId)).assignee.id).toBe(annAgentId);

    expect((await call('POST', ticket.documentId, '/assign', { agent: bob.id })).status).toBe(200);
    const none = await call('POST', ticket.documentId, '/assign', { agent: null });
    expect(none.status).toBe(200);
    expect(none.body.data.ticket.assignee).toBeNull();
    expect(events((none.body.data as TicketViewData).timeline).map((text) => text.replace(/^(Ada Admin|Ann Agent) /, 'ME '))).toEqual([
      'ME assigned the ticket to Ann Agent',
      'ME reassigned the ticket from Ann Agent to bob',
      'ME unassigned the ticket (was bob)',
    ]);

    const before = await snapshot(ticket.id);
    const refused = await call('POST', ticket.documentId, '/assign', { agent: 'me' }, plainAdmin.token);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/no agent account/);
    expect(refused.body.error.message).toContain('nobody-agent@example.test');
    const stranger = await call('POST', ticket.documentId, '/assign', { agent: 999999 });
    expect(stranger.status).toBe(400);
    expect((await call('POST', ticket.documentId, '/assign', { agent: true })).status).toBe(400);
    expect(await snapshot(ticket.id)).toEqual(before);
    // an admin without an agent account sees no "me" to assign
    expect((await view(ticket.documentId, plainAdmin.token)).body.data.viewer).toBeNull();
  });

  it('edits priority, category, due date and tags through the Document Service: history rows, SLA, nothing on bad input', async () => {
    const ticket = await newTicket();
    const slaDue = (await stored(ticket.documentId)).dueDate;
    const priority = await call('PUT', ticket.documentId, '', { priority: 'urgent', category: 'billing' });
    expect(priority.status).toBe(200);
    expect(priority.body.data.ticket).toMatchObject({ priority: 'urgent', category: 'billing' });
    // the SLA hook moved the due date to the urgent target
    expect(new Date((await stored(ticket.documentId)).dueDate).getTime()).toBeLessThan(new Date(slaDue).getTime());

    const due = '2030-01-15T09:30:00.000Z';
    const dated = await call('PUT', ticket.documentId, '', { dueDate: due, tags: ['printer', ' toner ', 'printer'] });
    expect(dated.status).toBe(200);
    expect(dated.body.data.ticket).toMatchObject({ dueDate: due, tags: ['printer', 'toner'] });
    const texts = events((dated.body.data as TicketViewData).timeline).map((text) => text.replace(/^(Ada Admin|Ann Agent) /, 'ME '));
    expect(texts[0]).toBe('ME changed priority from Medium to Urgent');
    expect(texts[1]).toBe('ME changed category from General to Billing');
    expect(texts[2]).toMatch(/^ME changed the due date from .+ UTC to .+ UTC$/);
    expect(texts[3]).toBe('ME changed the due date from ' + texts[2].split(' to ')[1] + ' to 2030-01-15 09:30 UTC');
    expect(texts[4]).toBe('ME tagged the ticket printer, toner');
    expect((await historyOf(ticket.id)).map((row) => row.action)).toEqual([
      'created', 'priority_changed', 'category_changed', 'due_date_changed', 'due_date_changed', 'tags_changed',
    ]);

    const before = await snapshot(ticket.id);
    for (const body of [
      {},
      { priority: 'whenever' },
      { dueDate: 'tomorrow' },
      { tags: ['x'.repeat(51)] },
      { tags: 'printer' },
      { tags: [''] },
      { subject: 'renamed' },
      { ticketStatus: 'resolved' },
    ]) {
      const response = await call('PUT', ticket.documentId, '', body);
      expect([response.status, response.body.error?.name]).toEqual([400, 'ValidationError']);
    }
    expect(await snapshot(ticket.id)).toEqual(before);

    const cleared = await call('PUT', ticket.documentId, '', { dueDate: null, tags: [] });
    expect(cleared.body.data.ticket).toMatchObject({ dueDate: null, overdue: false, tags: [] });
    const past = await call('PUT', ticket.documentId, '', { dueDate: '2020-01-01T00:00:00Z' });
    expect(past.body.data.ticket.overdue).toBe(true);
  });

  it('takes files with a reply: shown inline with name, size, type and a URL that downloads them', async () => {
    const ticket = await newTicket();
    const response = await postMultipart(ticket.documentId, { body: 'Here is the manual and a photo', isInternal: 'false' }, [
      { name: 'manual.txt', type: 'text/plain', content: 'Open tray 2, remove the roller.' },
      { name: 'photo.png', type: 'image/png', content: PNG },
    ]);
    expect(response.status).toBe(201);
    // the reply, then its New to Open move
    const reply = response.body.data.timeline.at(-2);
    if (reply?.type !== 'message') throw new Error('expected the reply before the status line');
    expect(reply.kind).toBe('public_reply');
    // in the order the form sent them
    const [manualFile, photoFile] = reply.attachments;
    expect([manualFile, photoFile].map((file) => [file.name, file.mime])).toEqual([
      ['manual.txt', 'text/plain'],
      ['photo.png', 'image/png'],
    ]);
    expect(manualFile.size).toBe(31);
    const manual = await fetch(new URL(manualFile.url!, helpdesk.baseUrl));
    expect(manual.status).toBe(200);
    expect(await manual.text()).toBe('Open tray 2, remove the roller.');
    // the upload plugin may re-encode an image: the link serves what was stored
    const photo = await fetch(new URL(photoFile.url!, helpdesk.baseUrl));
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    // (sizes of re-encoded images come from the media library's kilobytes: within one)
    expect(Math.abs((await photo.arrayBuffer()).byteLength - photoFile.size!)).toBeLessThan(1024);
    // one mail for the reply, one history row per file (and the first reply's New to Open)
    expect((await mails(ticket.id, 'comment_notification')).length).toBe(1);
    expect((await historyOf(ticket.id)).map((row) => row.action)).toEqual(['created', 'commented', 'status_changed', 'attachment_added', 'attachment_added']);
    // an internal note sent as a form stays internal
    const note = await postMultipart(ticket.documentId, { body: 'Photo is blurry', isInternal: 'true' }, []);
    expect(note.status).toBe(201);
    expect(messages(note.body.data.timeline).at(-1)).toMatchObject({ kind: 'internal_note' });
    expect((await mails(ticket.id, 'comment_notification')).length).toBe(1);
  });

  it('opens a ticket for a requester as REST creates one: numbered, contact linked, source admin, assigned, history by the agent, confirmation queued', async () => {
    const response = await helpdesk.request<{ data: TicketViewData }>('POST', '/helpdesk-admin/tickets', {
      token: ann.token,
      body: { data: { subject: 'Phone: VPN drops every hour', description: 'Called at 9:10.', email: 'Vera.Phone@Example.test', firstName: 'Vera', lastName: 'Phone', priority: 'high', category: 'technical', assignee: annAgentId } },
    });
    expect(response.status).toBe(201);
    const { ticket, requester } = response.body.data;
    expect(ticket).toMatchObject({ subject: 'Phone: VPN drops every hour', status: 'new', priority: 'high', category: 'technical', source: 'admin', assignee: { id: annAgentId, name: 'Ann Agent' } });
    expect(ticket.number).toMatch(/^TKT-\d{4}-\d{5}$/);
    expect(requester).toMatchObject({ name: 'Vera Phone', email: 'vera.phone@example.test' });
    const row = await stored(ticket.documentId);
    expect(row.dueDate).not.toBeNull();
    const contact = await helpdesk.strapi.db.query('plugin::helpdesk.contact').findOne({ where: { email: 'vera.phone@example.test' } });
    expect(contact).not.toBeNull();
    expect((await historyOf(row.id)).map((entry) => [entry.action, entry.actorName])).toEqual([['created', 'Ann Agent'], ['assigned', 'Ann Agent']]);
    expect((await mails(row.id)).map((mail) => [mail.templateKey, mail.to]).filter(([key]) => key === 'ticket_confirmation')).toEqual([['ticket_confirmation', 'vera.phone@example.test']]);
  });

  it('opens nothing on a bad body: no requester, a server-owned field, a bad priority, a non-agent assignee; 401 without a session', async () => {
    const before = await helpdesk.strapi.db.query(TICKET).count();
    for (const [data, field] of [
      [{ subject: 'Nobody to answer' }, 'email'],
      [{ subject: 'Forged', email: 'x@example.test', ticketNumber: 'TKT-1999-00001' }, 'ticketNumber'],
      [{ subject: 'Bad', email: 'x@example.test', priority: 'whenever' }, 'priority'],
      [{ subject: '', email: 'x@example.test' }, 'subject'],
      [{ subject: 'To a customer', email: 'x@example.test', assignee: plainAdmin.id + 1000 }, 'assignee'],
    ] as const) {
      const refused = await helpdesk.request('POST', '/helpdesk-admin/tickets', { token: ann.token, body: { data } });
      expect([field, refused.status, refused.body.error?.name]).toEqual([field, 400, 'ValidationError']);
    }
    expect((await helpdesk.request('POST', '/helpdesk-admin/tickets', { body: { data: { subject: 'x', email: 'x@example.test' } } })).status).toBe(401);
    expect((await helpdesk.request('POST', '/helpdesk-admin/tickets', { token: bob.jwt, body: { data: { subject: 'x', email: 'x@example.test' } } })).status).toBe(401);
    expect(await helpdesk.strapi.db.query(TICKET).count()).toBe(before);
  });
});
