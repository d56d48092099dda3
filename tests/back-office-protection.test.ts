import { errors } from '@strapi/utils';
import type { Page } from 'playwright-core';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import { adminRoleService } from '../src/plugins/helpdesk/server/src/access/support-agent-role';
import { COMMENT_DETACH_REFUSED, COMMENT_IS_RECORD } from '../src/plugins/helpdesk/server/src/document-hooks/record-protection';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const INBOUND = 'plugin::helpdesk.inbound-email';
const CM = (uid: string) => `/content-manager/collection-types/${uid}`;
const PASSWORD = 'Support-Pass-7';

/**
 * The record in the Content Manager: what the Support agent role may not do, what super admins may
 * do (and history keeps), what nobody is offered, and the project's own words when refused.
 */
describe('record protection in the Content Manager', () => {
  let helpdesk: Helpdesk;
  let root: { id: number; token: string };
  let agentToken: string;
  let agentUsernames: string[];
  let agentDocumentIds: Record<string, string>;

  const adminLogin = async (email: string, password = PASSWORD) => {
    const login = await helpdesk.request('POST', '/admin/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return login.body.data.token as string;
  };
  const newTicketWithComment = async (subject: string) => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'gina@example.test', firstName: 'Gina', lastName: 'Green' } });
    const comment = await helpdesk.strapi.documents(COMMENT).create({ data: { ticket: ticket.documentId, body: 'The original words', isInternal: true, authorType: 'staff', source: 'api' } });
    return { ticket, comment };
  };
  const historyOf = (ticketId: number | string, actions: string[]) =>
    helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: ticketId }, action: { $in: actions } }, orderBy: { id: 'asc' } });

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    root = await helpdesk.admin('root@example.test');
    const sam = await createStaffMember(helpdesk.strapi, { email: 'sam@example.test', password: PASSWORD, name: 'Sam Support' });
    const tia = await createStaffMember(helpdesk.strapi, { email: 'tia@example.test', password: PASSWORD, name: 'Tia Triage' });
    agentDocumentIds = { sam: sam.agent.documentId, tia: tia.agent.documentId };
    await helpdesk.customer('customer@example.test');
    agentToken = await adminLogin('sam@example.test');
    agentUsernames = ['Sam Support', 'Tia Triage'];
  });
  afterAll(() => helpdesk?.stop());

  describe('over the admin API', () => {
    it('a Support agent cannot detach a comment from its ticket: the project\'s message, nothing changed', async () => {
      const { ticket, comment } = await newTicketWithComment('Detach as agent');
      const answer = await helpdesk.request('PUT', `${CM(TICKET)}/${ticket.documentId}`, {
        token: agentToken,
        body: { comments: { connect: [], disconnect: [{ id: comment.id, documentId: comment.documentId }] } },
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error.message).toBe(COMMENT_DETACH_REFUSED);
      const stored = await helpdesk.strapi.db.query(COMMENT).findOne({ where: { id: comment.id }, populate: ['ticket'] });
      expect(stored.ticket.id).toBe(ticket.id);
      expect(await historyOf(ticket.id, ['comment_detached'])).toEqual([]);
    });

    it('an admin role allowed to update comments still cannot rewrite one, and reads why', async () => {
      const roles = adminRoleService(helpdesk.strapi);
      const role = await roles.create({ name: 'Comment editor', code: 'comment-editor', description: 'test' });
      const fields = ['ticket', 'body', 'isInternal'];
      await roles.assignPermissions(role.id, [
        { action: 'plugin::content-manager.explorer.read', subject: COMMENT, properties: { fields }, conditions: [] },
        { action: 'plugin::content-manager.explorer.update', subject: COMMENT, properties: { fields }, conditions: [] },
      ]);
      await helpdesk.strapi.service('admin::user').create({ email: 'editor@example.test', firstname: 'Ed', lastname: 'Itor', password: PASSWORD, isActive: true, roles: [role.id] });
      const token = await adminLogin('editor@example.test');
      const { ticket, comment } = await newTicketWithComment('Rewrite as editor');

      const answer = await helpdesk.request('PUT', `${CM(COMMENT)}/${comment.documentId}`, { token, body: { body: 'Other words' } });
      expect(answer.status).toBe(403);
      expect(answer.body.error.message).toBe(COMMENT_IS_RECORD);
      expect((await helpdesk.strapi.db.query(COMMENT).findOne({ where: { id: comment.id } })).body).toBe('The original words');
      expect(await historyOf(ticket.id, ['comment_edited'])).toEqual([]);
    });

    it('a super admin may rewrite and detach a comment, and both go into the ticket\'s history', async () => {
      const { ticket, comment } = await newTicketWithComment('Super admin');
      const edited = await helpdesk.request('PUT', `${CM(COMMENT)}/${comment.documentId}`, { token: root.token, body: { body: 'Corrected words' } });
      expect(edited.status).toBe(200);
      const detached = await helpdesk.request('PUT', `${CM(TICKET)}/${ticket.documentId}`, {
        token: root.token,
        body: { comments: { connect: [], disconnect: [{ id: comment.id, documentId: comment.documentId }] } },
      });
      expect(detached.status).toBe(200);

      const rows = await historyOf(ticket.id, ['comment_edited', 'comment_detached']);
      expect(rows.map((row: { action: string; fieldName: string; oldValue: string; newValue: string | null; actorType: string; actorName: string }) => [row.action, row.fieldName, row.oldValue, row.newValue, row.actorType, row.actorName])).toEqual([
        ['comment_edited', 'body', 'The original words', 'Corrected words', 'admin', 'Ada Admin'],
        ['comment_detached', 'comments', `#${comment.documentId}`, null, 'admin', 'Ada Admin'],
      ]);
      // saving the ticket again writes nothing more
      await helpdesk.request('PUT', `${CM(TICKET)}/${ticket.documentId}`, { token: root.token, body: { comments: { connect: [], disconnect: [] } } });
      expect(await historyOf(ticket.id, ['comment_edited', 'comment_detached'])).toHaveLength(2);
    });

    it('nobody, super admins included, is offered create, update, delete or publish on server-written types; the backend refuses', async () => {
      for (const token of [root.token, agentToken]) {
        const permissions = await helpdesk.request('GET', '/admin/users/me/permissions', { token });
        expect(permissions.status).toBe(200);
        const refused = (permissions.body.data as Array<{ action: string; subject: string }>).filter(
          (p) => [OUTBOX, HISTORY, INBOUND].includes(p.subject) && !p.action.endsWith('.read')
        );
        expect(refused).toEqual([]);
        expect(permissions.body.data.some((p: { action: string; subject: string }) => p.subject === OUTBOX && p.action.endsWith('.read'))).toBe(true);
      }
      const mailsBefore = await helpdesk.strapi.db.query(OUTBOX).count();
      const outbox = await helpdesk.strapi.db.query(OUTBOX).create({ data: { to: 'a@example.test', subject: 'Queued', deliveryStatus: 'queued' } });
      for (const [method, url, body] of [
        ['POST', CM(OUTBOX), { to: 'x@example.test', subject: 'x' }],
        ['PUT', `${CM(OUTBOX)}/${outbox.documentId}`, { subject: 'changed' }],
        ['DELETE', `${CM(OUTBOX)}/${outbox.documentId}`, undefined],
        ['POST', `${CM(OUTBOX)}/clone/${outbox.documentId}`, { subject: 'copy' }],
        ['POST', `${CM(OUTBOX)}/actions/bulkDelete`, { documentIds: [outbox.documentId] }],
      ] as const) {
        const answer = await helpdesk.request(method, url, { token: root.token, body });
        expect([method, url, answer.status]).toEqual([method, url, 403]);
      }
      const stored = await helpdesk.strapi.db.query(OUTBOX).findOne({ where: { id: outbox.id } });
      expect(stored.subject).toBe('Queued');
      expect(await helpdesk.strapi.db.query(OUTBOX).count()).toBe(mailsBefore + 1);
    });

    it('the Document Service refuses server-written records with a message that reaches the caller (a PolicyError, not a bare Forbidden)', async () => {
      await expect(helpdesk.strapi.documents(HISTORY).create({ data: { action: 'created', actorType: 'system', timestamp: new Date() } })).rejects.toMatchObject({
        name: 'PolicyError',
        message: 'Ticket history is written by the server and cannot be changed',
      });
      await expect(helpdesk.strapi.documents(HISTORY).create({ data: { action: 'created', actorType: 'system', timestamp: new Date() } })).rejects.toBeInstanceOf(errors.ForbiddenError);
    });
    it('tags follow one rule whatever the origin: tidied from the Content Manager and server code, a bad list refused naming tags', async () => {
      const { ticket } = await newTicketWithComment('Tags everywhere');
      const saved = await helpdesk.request('PUT', `${CM(TICKET)}/${ticket.documentId}`, { token: agentToken, body: { tags: [' printer ', 'VIP', 'vip', 'printer'] } });
      expect(saved.status).toBe(200);
      expect(saved.body.data.tags).toEqual(['printer', 'VIP']);
      const before = await historyOf(ticket.id, ['tags_changed']);
      expect(before.map((row: { newValue: string; actorName: string }) => [row.newValue, row.actorName])).toEqual([['printer, VIP', 'Sam Support']]);

      for (const tags of [{ printer: true }, ['ok', 7], [''], ['<b>bold</b>'], ['x'.repeat(51)], Array.from({ length: 31 }, (_, i) => `tag${i}`)]) {
        const refused = await helpdesk.request('PUT', `${CM(TICKET)}/${ticket.documentId}`, { token: agentToken, body: { tags } });
        expect([refused.status, refused.body.error?.name, refused.body.error?.details?.errors?.[0]?.path]).toEqual([400, 'ValidationError', ['tags']]);
      }
      await expect(helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { tags: 'printer' } as never })).rejects.toMatchObject({ name: 'ValidationError' });
      const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticket.id } });
      expect(stored.tags).toEqual(['printer', 'VIP']);
      expect(await historyOf(ticket.id, ['tags_changed'])).toHaveLength(1);
    });
  });

  describe('in Chromium, as a Support agent made by the shared creation function', () => {
    let panel: Panel;
    let page: Page;
    let ticketId: string;

    beforeAll(async () => {
      const { ticket } = await newTicketWithComment('Printer on fire');
      await helpdesk.strapi.documents('plugin::helpdesk.contact').create({ data: { email: 'hal@example.test', firstName: 'Hal', lastName: 'Hope' } });
      ticketId = ticket.documentId;
      panel = await openPanel(helpdesk.baseUrl);
      page = panel.page;
      await panel.signIn('sam@example.test', PASSWORD);
    });
    afterAll(() => panel?.close());

    it('opens a ticket and cannot delete it', async () => {
      await page.goto(`/admin/content-manager/collection-types/${TICKET}/${ticketId}`);
      await page.getByRole('combobox', { name: 'Assignee' }).waitFor();
      await page.getByRole('button', { name: 'More actions' }).click();
      const deleteItem = page.getByRole('menuitem', { name: /Delete/ });
      const offered = await deleteItem.count();
      if (offered > 0) expect(await deleteItem.first().getAttribute('aria-disabled')).toBe('true');
      await panel.screenshot('protection-1-ticket-actions');
      await page.keyboard.press('Escape');
      expect(await helpdesk.strapi.db.query(TICKET).count({ where: { documentId: ticketId } })).toBe(1);
    });

    it('the assignee picker lists exactly the agents; the contact picker shows name and email', async () => {
      await page.getByRole('combobox', { name: 'Assignee' }).click();
      const options = page.getByRole('listbox').getByRole('option');
      await options.first().waitFor();
      // the picker's own "Create a relation" entry aside, the options are the agents
      const offered = (await options.allTextContents()).map((text) => text.trim()).filter((text) => text !== 'Create a relation');
      expect(offered.sort()).toEqual(agentUsernames);
      await panel.screenshot('protection-2-assignee-picker');
      await page.keyboard.press('Escape');

      // the ticket's own contact, by name and email; the picker offers the others the same way
      await page.getByText('Gina Green <gina@example.test>', { exact: true }).first().waitFor();
      await page.getByRole('combobox', { name: 'Contact' }).click();
      const contacts = page.getByRole('listbox').getByRole('option', { name: 'Hal Hope <hal@example.test>' });
      await contacts.waitFor();
      await panel.screenshot('protection-3-contact-picker');
      await page.keyboard.press('Escape');
    });

    it('edits tags as chips in the Content Manager (saved, one history line) and leads to the ticket in the Helpdesk', async () => {
      await page.goto(`/admin/content-manager/collection-types/${TICKET}/${ticketId}`);
      const newTag = page.getByRole('textbox', { name: 'New tag' });
      await newTag.fill('printer');
      await newTag.press('Enter');
      await page.getByRole('button', { name: 'Remove tag printer' }).waitFor();
      // the conversation, files and history are the Helpdesk's to show, in words; the sort key is nobody's
      const labelled = (text: RegExp) => page.locator('label').filter({ hasText: text }).count();
      expect(await labelled(/^Estimated hours/)).toBe(1);
      for (const label of [/^Comments/, /^Attachments/, /^History/, /^Priority rank/]) expect(await labelled(label)).toBe(0);
      await newTag.fill('Fire');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('button', { name: 'Remove tag Fire' }).waitFor();
      // Enter added a tag and did not save the form
      expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticketId } })).tags).toBeNull();
      await page.getByRole('button', { name: 'Remove tag printer' }).click();
      await newTag.fill('printer');
      await newTag.press('Enter');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(/Saved document/i).first().waitFor();
      const saved = await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticketId } });
      expect(saved.tags).toEqual(['Fire', 'printer']);
      const lines = await historyOf(saved.id, ['tags_changed']);
      expect(lines.map((row: { newValue: string; actorName: string }) => [row.newValue, row.actorName])).toEqual([['Fire, printer', 'Sam Support']]);
      await newTag.scrollIntoViewIfNeeded();
      await panel.screenshot('protection-5-tags');

      await page.getByRole('link', { name: 'Open in Helpdesk' }).click();
      await page.waitForURL(`**/admin/helpdesk/tickets/${ticketId}`);
      await page.getByRole('heading', { name: 'Printer on fire' }).waitFor();
      await page.getByRole('button', { name: 'Remove tag Fire' }).waitFor();
    });

    it('the ticket list shows status and priority as words and sorts priority by severity; the edit view offers words', async () => {
      for (const priority of ['low', 'critical', 'medium', 'urgent', 'high'] as const) {
        await helpdesk.strapi.documents(TICKET).create({ data: { subject: `Severity ${priority}`, email: 'gina@example.test', priority } });
      }
      await page.goto(`/admin${CM(TICKET)}?page=1&pageSize=10&_q=Severity`);
      const rows = page.locator('tbody tr');
      await rows.nth(4).waitFor();
      const column = (attribute: string) =>
        rows.locator(`[${attribute}]`).evaluateAll((badges, name) => badges.map((badge) => [badge.getAttribute(name), badge.textContent]), attribute);
      expect(await column('data-status')).toEqual(Array.from({ length: 5 }, () => ['new', 'New']));

      const priorityHeader = page.locator('thead th').filter({ hasText: /^Priority$/ });
      await priorityHeader.click();
      await page.waitForURL(/sort=priorityRank(%3A|:)ASC/);
      const ascending = [['low', 'Low'], ['medium', 'Medium'], ['high', 'High'], ['urgent', 'Urgent'], ['critical', 'Critical']];
      await rows.first().locator('[data-priority="low"]').waitFor();
      expect(await column('data-priority')).toEqual(ascending);
      await priorityHeader.click();
      await page.waitForURL(/sort=priorityRank(%3A|:)DESC/);
      await rows.first().locator('[data-priority="critical"]').waitFor();
      expect(await column('data-priority')).toEqual([...ascending].reverse());
      await panel.screenshot('protection-6-ticket-list');

      await rows.first().getByText('Severity critical').click();
      await page.getByRole('combobox', { name: 'Priority' }).click();
      const choices = await page.getByRole('listbox').getByRole('option').allTextContents();
      expect(choices.filter((choice) => choice !== 'Choose here')).toEqual(['Low', 'Medium', 'High', 'Urgent', 'Critical']);
      await page.keyboard.press('Escape');
      expect(await page.getByRole('combobox', { name: 'Status' }).textContent()).toContain('New');
    });

    it('filters the ticket list by assignee, chosen from the agents', async () => {
      for (const [subject, agent] of [['Routed to Sam', 'sam'], ['Routed to Tia', 'tia'], ['Routed again to Sam', 'sam']] as const) {
        await helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'gina@example.test', assignee: agentDocumentIds[agent] } });
      }
      await page.goto(`/admin${CM(TICKET)}?page=1&pageSize=10&_q=Routed`);
      const subjects = () => page.locator('tbody tr').locator('td').filter({ hasText: /^Routed/ }).allTextContents();
      await page.locator('tbody tr').nth(2).waitFor();

      await page.getByRole('button', { name: 'Filters' }).click();
      const popover = page.getByRole('dialog');
      await popover.getByRole('combobox', { name: 'Select field', exact: true }).click();
      await page.getByRole('listbox').getByRole('option', { name: 'Assignee', exact: true }).click();
      await popover.getByRole('combobox', { name: 'Select filter', exact: true }).click();
      const operators = await page.getByRole('listbox').getByRole('option').allTextContents();
      expect(operators.filter((operator) => operator !== 'Choose here')).toEqual(['is', 'is not']);
      await page.getByRole('listbox').getByRole('option', { name: 'is', exact: true }).click();
      await popover.getByRole('combobox', { name: 'Assignee', exact: true }).click();
      const offered = await page.getByRole('listbox').getByRole('option').allTextContents();
      expect(offered.sort()).toEqual(['Sam Support (me)', 'Tia Triage']);
      await page.getByRole('listbox').getByRole('option', { name: 'Sam Support (me)' }).click();
      await panel.screenshot('protection-7-assignee-filter');
      await popover.getByRole('button', { name: 'Add filter' }).click();

      await page.getByText('Assignee is Sam Support', { exact: true }).waitFor();
      await page.getByText('2 entries found').waitFor();
      expect((await subjects()).sort()).toEqual(['Routed again to Sam', 'Routed to Sam']);
    });

    it('the outbox list offers no Create', async () => {
      await helpdesk.strapi.db.query(OUTBOX).create({ data: { to: 'gina@example.test', subject: 'Your ticket', deliveryStatus: 'sent' } });
      await page.goto(`/admin/content-manager/collection-types/${OUTBOX}`);
      await page.getByText('Your ticket').first().waitFor();
      // the delivery state in words, not the stored value
      await page.locator('tbody').getByText('Sent', { exact: true }).first().waitFor();
      expect(await page.locator('tbody').getByText('sent', { exact: true }).count()).toBe(0);
      await panel.screenshot('protection-4-outbox-list');
      expect(await page.getByRole('link', { name: /Create new entry/i }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Create new entry/i }).count()).toBe(0);
      expect(panel.problems).toEqual([]);
    });
  });
});
