import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { AdminContext } from '../admin-route';
import { filesField, type MultipartFile } from '../../domain/multipart-files';
import { ticketViewService } from './service';
import { validateAssign, validateFields, validateNewTicket, validateReply, validateStatus } from './validators';
import { changedSince, type StaleWrite } from './version';
import { draftService } from '../drafts/service';
import { parseRecordId } from '../macros/validators';
import { getService } from '../../get-service';
import { TICKET_VERSION_HEADER } from '../../../../shared/contract';

/** The reply's files: multipart field `files` (one or more); any other file field is refused. */
function replyFiles(ctx: AdminContext): MultipartFile[] {
  return filesField((ctx.request as { files?: Record<string, unknown> }).files);
}

/** Every action answers the ticket view as it is now, so the page shows what the server stored. */
async function answer(ctx: AdminContext, strapi: Core.Strapi, status = 200, documentId: string = ctx.params.documentId): Promise<void> {
  const data = await ticketViewService(strapi).view(documentId, ctx.state.user);
  ctx.status = status;
  ctx.body = { data };
}

/** Thrown out of the write's transaction to roll it back: the ticket changed since the writer's version. */
class StaleTicket extends Error {
  constructor(readonly stale: StaleWrite) {
    super(stale.message);
  }
}

/** Strapi gives every context its error answers (`ctx.conflict`, ...) but does not type them. */
type WithConflict = AdminContext & { conflict(message: string, details?: object): void };

/**
 * A write from the ticket view, refused with 409 when the ticket changed since the version the view
 * sent (another agent, a mail, the API): checked and written in one transaction. Clients that send
 * no version (the REST API, scripts) write as before. Resolves false when it answered the 409 (an
 * expected answer, not an error: nothing is logged).
 */
async function unlessChanged(ctx: AdminContext, strapi: Core.Strapi, write: () => Promise<void>): Promise<boolean> {
  const version = ctx.get(TICKET_VERSION_HEADER);
  if (!version) {
    await write();
    return true;
  }
  if (!/^\d{1,15}$/.test(version)) throw new errors.ValidationError(`${TICKET_VERSION_HEADER} must be the version the ticket view was read at (digits), not ${JSON.stringify(version.slice(0, 40))}`);
  try {
    await strapi.db.transaction(async () => {
      const stale = await changedSince(strapi, ctx.params.documentId, version);
      if (stale) throw new StaleTicket(stale);
      await write();
    });
    return true;
  } catch (error) {
    if (!(error instanceof StaleTicket)) throw error;
    (ctx as WithConflict).conflict(error.stale.message, error.stale.details);
    return false;
  }
}

export const ticketViewController = {
  /** GET /helpdesk-admin/tickets/:documentId */
  async show(ctx: AdminContext, strapi: Core.Strapi) {
    await answer(ctx, strapi);
  },

  /** POST /helpdesk-admin/tickets { data: { subject, email, ... } }: the REST create body; answers the new ticket's view */
  async open(ctx: AdminContext, strapi: Core.Strapi) {
    const input = validateNewTicket(ctx.request.body);
    const documentId = await ticketViewService(strapi).open(input);
    await answer(ctx, strapi, 201, documentId);
  },

  /** POST /helpdesk-admin/tickets/:documentId/replies (JSON or multipart): body, isInternal, ticketStatus?, files? */
  async reply(ctx: AdminContext, strapi: Core.Strapi) {
    const files = replyFiles(ctx);
    const input = validateReply(ctx.request.body);
    if (!(await unlessChanged(ctx, strapi, () => ticketViewService(strapi).reply(ctx.params.documentId, input, files)))) return;
    // sent: the writer's draft of it is done with
    await draftService(strapi).remove(ctx.state.user.id, ctx.params.documentId);
    await answer(ctx, strapi, 201);
  },

  /** POST /helpdesk-admin/tickets/:documentId/status { ticketStatus, note? } */
  async changeStatus(ctx: AdminContext, strapi: Core.Strapi) {
    const input = validateStatus(ctx.request.body);
    if (!(await unlessChanged(ctx, strapi, () => ticketViewService(strapi).changeStatus(ctx.params.documentId, input)))) return;
    await answer(ctx, strapi);
  },

  /** POST /helpdesk-admin/tickets/:documentId/assign { agent: id | documentId | 'me' | null } */
  async assign(ctx: AdminContext, strapi: Core.Strapi) {
    const input = validateAssign(ctx.request.body);
    if (!(await unlessChanged(ctx, strapi, () => ticketViewService(strapi).assign(ctx.params.documentId, input, ctx.state.user)))) return;
    await answer(ctx, strapi);
  },

  /** POST /helpdesk-admin/tickets/:documentId/macros/:id: the macro's changes, all or nothing */
  async applyMacro(ctx: AdminContext, strapi: Core.Strapi) {
    const id = parseRecordId(ctx.params);
    if (!(await unlessChanged(ctx, strapi, () => getService(strapi, 'macros').applyMacro(ctx.state.user, id, ctx.params.documentId)))) return;
    await answer(ctx, strapi);
  },

  /** PUT /helpdesk-admin/tickets/:documentId { priority?, category?, dueDate?, tags?, ccAddresses? } */
  async updateFields(ctx: AdminContext, strapi: Core.Strapi) {
    const input = validateFields(ctx.request.body);
    if (!(await unlessChanged(ctx, strapi, () => ticketViewService(strapi).updateFields(ctx.params.documentId, input)))) return;
    await answer(ctx, strapi);
  },
};
