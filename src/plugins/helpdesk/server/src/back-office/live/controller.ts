import { PassThrough } from 'node:stream';
import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import type { LiveChange, LiveEventName, LivePresence } from '../../../../shared/contract';
import { errors } from '@strapi/utils';
import { TICKET } from '../../../../shared/uids';
import { parsePresence } from './validators';
import { getService } from '../../get-service';

/** A comment line now and then: proxies and browsers keep an idle stream open. */
const KEEP_ALIVE_MS = 15_000;

const frame = (event: LiveEventName, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** GET /helpdesk-admin/live: the change feed as server-sent events, for a signed-in admin who works tickets. */
export const liveController = {
  async stream(ctx: AdminContext, strapi: Core.Strapi) {
    const feed = getService(strapi, 'live');
    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set({ 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    ctx.type = 'text/event-stream; charset=utf-8';
    ctx.status = 200;
    ctx.body = stream;

    const unsubscribeChanges = feed.subscribe((change: LiveChange) => stream.write(frame('change', change)));
    const unsubscribePresence = feed.subscribePresence((presence: LivePresence) => stream.write(frame('presence', presence)));
    const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unsubscribeChanges();
      unsubscribePresence();
      forget();
      stream.end();
    };
    const forget = feed.onStop(close);
    ctx.req.on('close', close);
    stream.write(frame('ready', { at: new Date().toISOString() }));
  },

  /** POST /helpdesk-admin/tickets/:documentId/presence { state: viewing | typing | left } → 204; the others viewing it are told. */
  async presence(ctx: AdminContext, strapi: Core.Strapi) {
    const { state } = parsePresence(ctx.request.body);
    const ticket = await strapi.db.query(TICKET).findOne({ where: { documentId: ctx.params.documentId }, select: ['id'] });
    if (!ticket) throw new errors.NotFoundError('No such ticket');
    const { id, firstname, lastname, email } = ctx.state.user;
    const name = [firstname, lastname].filter(Boolean).join(' ') || email;
    await getService(strapi, 'live').announcePresence({ ticket: ctx.params.documentId, admin: { id, name }, state });
    ctx.status = 204;
  },
};
