import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { tableIn } from '../db/table';
import { errors } from '@strapi/utils';
import { CANNED_REPLY, MACRO, TICKET, TOOL_USE } from '../../../shared/uids';
import type { CannedReplyView, MacroView } from '../../../shared/contract';
import { normalizeTags } from '../../../shared/tags';
import { agentForAdmin } from '../access/staff-identity';
import { resolveActor } from '../audit/actor';
import { fillText } from '../mail/render-template';
import { ticketVariables, valueWord, type TicketForMail } from '../mail/ticket-mail';
import { fieldValidationError } from '../validation/parse';
import { getService } from '../get-service';

/** Who is applying or inserting: the signed-in admin. */
interface Admin {
  id: number;
  email?: string | null;
  firstname?: string | null;
  lastname?: string | null;
}

interface MacroRow {
  id: number;
  title: string;
  replyBody: string | null;
  replyIsInternal: boolean | null;
  setStatus: string | null;
  setPriority: string | null;
  addTags: unknown;
  assignment: 'keep' | 'applier' | 'agent' | 'unassign';
  agent: { id: number; username: string } | null;
}

interface CannedRow {
  id: number;
  title: string;
  body: string;
  personal: boolean | null;
}

type TicketRow = TicketForMail & { tags: unknown };

/** How many canned replies the composer's search shows. */
const SHOWN = 20;

const adminName = (admin: Admin): string => [admin.firstname, admin.lastname].filter(Boolean).join(' ') || admin.email || 'An admin';
const tagsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : []);

/** What a macro does, in the words the ticket view and the bulk bar show. */
export function macroActions(macro: MacroRow): string[] {
  const actions: string[] = [];
  if (macro.replyBody?.trim()) actions.push(macro.replyIsInternal ? 'Adds an internal note' : 'Replies to the customer');
  if (macro.setStatus) actions.push(`Status: ${valueWord(macro.setStatus)}`);
  if (macro.setPriority) actions.push(`Priority: ${valueWord(macro.setPriority)}`);
  const tags = tagsOf(macro.addTags);
  if (tags.length > 0) actions.push(`Tags: + ${tags.join(', ')}`);
  if (macro.assignment === 'applier') actions.push('Assigns to whoever applies it');
  if (macro.assignment === 'agent' && macro.agent) actions.push(`Assigns to ${macro.agent.username}`);
  if (macro.assignment === 'unassign') actions.push('Unassigns');
  return actions;
}

const macroView = (macro: MacroRow): MacroView => ({
  id: macro.id,
  title: macro.title,
  actions: macroActions(macro),
  mailsCustomer: Boolean(macro.replyBody?.trim()) && !macro.replyIsInternal,
});

/**
 * Canned replies and macros: the team's ready answers, inserted from the composer, and bundles of
 * changes applied from the ticket view or the inbox. Both are edited in the Content Manager; each
 * use is counted on the record (count, when, by whom) and logged (`tool-use`: who, which ticket,
 * when), and a macro's is written in the ticket's history with the changes it made.
 */
const macros = ({ strapi }: { strapi: Core.Strapi }) => {
  async function findTicket(documentId: string): Promise<TicketRow> {
    const ticket = (await strapi.db.query(TICKET).findOne({ where: { documentId }, populate: { assignee: { select: ['id', 'username', 'email'] } } })) as TicketRow | null;
    if (!ticket) throw new errors.NotFoundError('Ticket not found');
    return ticket;
  }

  /** The ticket's {variables}, and {agent_name}: the agent at the keyboard. */
  async function variablesFor(ticket: TicketRow, admin: Admin) {
    const settings = await getService(strapi, 'settings').current();
    const agent = await agentForAdmin(strapi, admin);
    return { ...ticketVariables(ticket, settings), agent_name: agent?.username ?? adminName(admin) };
  }

  /**
   * One use, in the caller's transaction: counted on the reply or macro (one statement, so
   * concurrent uses all count) and logged (who, which ticket, when) in the read-only tool-use log.
   */
  async function recordUse(trx: Knex.Transaction, tool: { uid: typeof CANNED_REPLY | typeof MACRO; id: number; title: string }, by: string, ticket: TicketRow): Promise<void> {
    const now = new Date();
    await tableIn(strapi, trx, tool.uid)
      .where({ id: tool.id })
      .update({ usage_count: strapi.db.connection.raw('COALESCE(usage_count, 0) + 1'), last_used_at: now, last_used_by: by.slice(0, 200) });
    await tableIn(strapi, trx, TOOL_USE).insert({
      document_id: randomUUID(),
      tool: tool.uid === MACRO ? 'macro' : 'canned_reply',
      tool_id: tool.id,
      tool_title: tool.title.slice(0, 120),
      used_by: by.slice(0, 200),
      ticket_number: ticket.ticketNumber,
      ticket_document_id: ticket.documentId,
      created_at: now,
      updated_at: now,
    });
  }

  /** The canned replies this admin may use: the shared ones and their own personal ones. */
  const visibleTo = (admin: Admin) => ({ $or: [{ personal: false }, { personal: { $null: true } }, { createdBy: { id: admin.id } }] });

  return {
    /** The canned replies matching `query` (title or text), most used first, filled in for the ticket. */
    async listCannedReplies(admin: Admin, ticketDocumentId: string, query: string): Promise<CannedReplyView[]> {
      const ticket = await findTicket(ticketDocumentId);
      const words = query.trim();
      const where = words ? { $and: [visibleTo(admin), { $or: [{ title: { $containsi: words } }, { body: { $containsi: words } }] }] } : visibleTo(admin);
      const rows = (await strapi.db.query(CANNED_REPLY).findMany({
        where,
        select: ['id', 'title', 'body', 'personal'],
        orderBy: [{ usageCount: 'desc' }, { title: 'asc' }],
        limit: SHOWN,
      })) as CannedRow[];
      const variables = await variablesFor(ticket, admin);
      return rows.map((row) => ({ id: row.id, title: row.title, body: fillText(row.body, variables), personal: Boolean(row.personal) }));
    },

    /** An agent inserted canned reply `id` into their reply on a ticket: counted (how often, when last, by whom), and its filled-in text returned. */
    async useCannedReply(admin: Admin, id: number, ticketDocumentId: string): Promise<CannedReplyView> {
      const ticket = await findTicket(ticketDocumentId);
      const row = (await strapi.db.query(CANNED_REPLY).findOne({ where: { $and: [{ id }, visibleTo(admin)] }, select: ['id', 'title', 'body', 'personal'] })) as CannedRow | null;
      if (!row) throw new errors.NotFoundError('Canned reply not found');
      // counted on the reply, not in the ticket's history: inserting is not a change to the ticket
      // (nor to its version, which the agent's send is checked against)
      const actor = await resolveActor(strapi);
      await strapi.db.transaction(({ trx }) => recordUse(trx, { uid: CANNED_REPLY, id: row.id, title: row.title }, actor.name, ticket));
      return { id: row.id, title: row.title, body: fillText(row.body, await variablesFor(ticket, admin)), personal: Boolean(row.personal) };
    },

    /** One macro as the panel shows it, or null when there is none with this id. */
    async findMacro(id: number): Promise<MacroView | null> {
      const row = (await strapi.db.query(MACRO).findOne({ where: { id }, populate: { agent: { select: ['id', 'username'] } } })) as MacroRow | null;
      return row ? macroView(row) : null;
    },

    async listMacros(): Promise<MacroView[]> {
      const rows = (await strapi.db.query(MACRO).findMany({
        populate: { agent: { select: ['id', 'username'] } },
        orderBy: [{ usageCount: 'desc' }, { title: 'asc' }],
        limit: 200,
      })) as MacroRow[];
      return rows.map(macroView);
    },

    /**
     * Applies macro `id` to a ticket, all or nothing, in one transaction: priority and tags, the
     * assignee, then its reply (with its status: one mail, as the composer's "Send and set") or its
     * status alone. Every step goes through the workflow and the document hooks, so transition
     * rules, history, notifications and mail are the same as by hand.
     */
    async applyMacro(admin: Admin, id: number, ticketDocumentId: string): Promise<void> {
      const macro = (await strapi.db.query(MACRO).findOne({ where: { id }, populate: { agent: { select: ['id', 'username'] } } })) as MacroRow | null;
      if (!macro) throw new errors.NotFoundError('Macro not found');
      const ticket = await findTicket(ticketDocumentId);
      const workflow = getService(strapi, 'ticketWorkflow');
      const actor = await resolveActor(strapi);

      let assignee: number | null | undefined;
      if (macro.assignment === 'applier') {
        const mine = await agentForAdmin(strapi, admin);
        if (!mine) throw fieldValidationError('macro', `"${macro.title}" assigns the ticket to whoever applies it, and you have no agent account`);
        assignee = mine.id;
      } else if (macro.assignment === 'agent') {
        if (!macro.agent) throw fieldValidationError('macro', `"${macro.title}" assigns to an agent but names none: edit it in the Content Manager`);
        assignee = macro.agent.id;
      } else if (macro.assignment === 'unassign') {
        assignee = null;
      }
      const tags = normalizeTags([...tagsOf(ticket.tags), ...tagsOf(macro.addTags)]);
      if (!tags.ok) throw fieldValidationError('macro', `"${macro.title}" cannot add its tags: ${tags.error}`);

      await strapi.db.transaction(async ({ trx }) => {
        const fields: Record<string, unknown> = {};
        if (macro.setPriority && macro.setPriority !== ticket.priority) fields.priority = macro.setPriority;
        if ((tags.tags ?? []).length !== tagsOf(ticket.tags).length) fields.tags = tags.tags;
        if (Object.keys(fields).length > 0) await strapi.documents(TICKET).update({ documentId: ticketDocumentId, data: fields });
        if (assignee !== undefined && assignee !== (ticket.assignee?.id ?? null)) await workflow.assign(ticketDocumentId, assignee);
        const status = macro.setStatus && macro.setStatus !== ticket.ticketStatus ? macro.setStatus : undefined;
        if (macro.replyBody?.trim()) {
          const body = fillText(macro.replyBody, await variablesFor(ticket, admin));
          await workflow.reply(ticketDocumentId, { body, isInternal: Boolean(macro.replyIsInternal), ticketStatus: status as never });
        } else if (status) {
          await workflow.changeStatus(ticketDocumentId, status as never);
        }
        await getService(strapi, 'history').record(ticket, actor, [{ action: 'macro_applied', fieldName: 'macro', newValue: macro.title }]);
        await recordUse(trx, { uid: MACRO, id: macro.id, title: macro.title }, actor.name, ticket);
      });
    },
  };
};

export type MacrosService = ReturnType<typeof macros>;
export default macros;
