/** The helpdesk's content types (plugin::helpdesk.<name>); each key is the type's singularName. */
import attachment from './attachment/schema.json';
import challengeSolution from './challenge-solution/schema.json';
import comment from './comment/schema.json';
import contact from './contact/schema.json';
import emailTemplate from './email-template/schema.json';
import helpdeskSetting from './helpdesk-setting/schema.json';
import inboundEmail from './inbound-email/schema.json';
import lease from './lease/schema.json';
import mailCheck from './mail-check/schema.json';
import mailCursor from './mail-cursor/schema.json';
import outboundEmail from './outbound-email/schema.json';
import rateLimitCounter from './rate-limit-counter/schema.json';
import replyDraft from './reply-draft/schema.json';
import teamNotificationBurst from './team-notification-burst/schema.json';
import ticket from './ticket/schema.json';
import ticketHistory from './ticket-history/schema.json';
import ticketSequence from './ticket-sequence/schema.json';

export default {
  attachment: { schema: attachment },
  'challenge-solution': { schema: challengeSolution },
  comment: { schema: comment },
  contact: { schema: contact },
  'email-template': { schema: emailTemplate },
  'helpdesk-setting': { schema: helpdeskSetting },
  'inbound-email': { schema: inboundEmail },
  lease: { schema: lease },
  'mail-check': { schema: mailCheck },
  'mail-cursor': { schema: mailCursor },
  'outbound-email': { schema: outboundEmail },
  'rate-limit-counter': { schema: rateLimitCounter },
  'reply-draft': { schema: replyDraft },
  'team-notification-burst': { schema: teamNotificationBurst },
  ticket: { schema: ticket },
  'ticket-history': { schema: ticketHistory },
  'ticket-sequence': { schema: ticketSequence },
};
