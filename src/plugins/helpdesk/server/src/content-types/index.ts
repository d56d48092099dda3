/** The helpdesk's content types (plugin::helpdesk.<name>); each key is the type's singularName. */
import { HELPDESK_LAYOUT_MARK } from '../../../shared/uids';
import attachment from './attachment/schema.json';
import cannedReply from './canned-reply/schema.json';
import challengeSolution from './challenge-solution/schema.json';
import comment from './comment/schema.json';
import contact from './contact/schema.json';
import emailTemplate from './email-template/schema.json';
import helpdeskSetting from './helpdesk-setting/schema.json';
import inboundEmail from './inbound-email/schema.json';
import lease from './lease/schema.json';
import mailCheck from './mail-check/schema.json';
import macro from './macro/schema.json';
import mailCursor from './mail-cursor/schema.json';
import notification from './notification/schema.json';
import notificationPreference from './notification-preference/schema.json';
import outboundEmail from './outbound-email/schema.json';
import rateLimitCounter from './rate-limit-counter/schema.json';
import replyDraft from './reply-draft/schema.json';
import teamNotificationBurst from './team-notification-burst/schema.json';
import ticket from './ticket/schema.json';
import ticketHistory from './ticket-history/schema.json';
import ticketSequence from './ticket-sequence/schema.json';
import toolUse from './tool-use/schema.json';

type Schema = { kind: string; pluginOptions?: Record<string, unknown> };

/**
 * Every type carries the helpdesk's mark in its plugin options, which the Content Manager merges into
 * a layout's `options`: the admin's layout hooks change the helpdesk's own views by it, never the host's.
 */
const owned = <S extends Schema>(schema: S) => ({ schema: { ...schema, pluginOptions: { ...schema.pluginOptions, [HELPDESK_LAYOUT_MARK]: { owned: true } } } });

export default {
  attachment: owned(attachment),
  'canned-reply': owned(cannedReply),
  'challenge-solution': owned(challengeSolution),
  comment: owned(comment),
  contact: owned(contact),
  'email-template': owned(emailTemplate),
  'helpdesk-setting': owned(helpdeskSetting),
  'inbound-email': owned(inboundEmail),
  lease: owned(lease),
  'mail-check': owned(mailCheck),
  macro: owned(macro),
  'mail-cursor': owned(mailCursor),
  notification: owned(notification),
  'notification-preference': owned(notificationPreference),
  'outbound-email': owned(outboundEmail),
  'rate-limit-counter': owned(rateLimitCounter),
  'reply-draft': owned(replyDraft),
  'team-notification-burst': owned(teamNotificationBurst),
  ticket: owned(ticket),
  'ticket-history': owned(ticketHistory),
  'ticket-sequence': owned(ticketSequence),
  'tool-use': owned(toolUse),
};
