/** The helpdesk's services (plugin::helpdesk.<name>); typed access goes through get-service.ts. */
import actor from './actor';
import attachment from './attachment';
import attachmentUpload from './attachment-upload';
import comment from './comment';
import contact from './contact';
import emailTemplate from './email-template';
import guestTicket from './guest-ticket';
import helpdeskSetting from './helpdesk-setting';
import inbox from './inbox';
import live from './live';
import macros from './macros';
import mailIngestion from './mail-ingestion';
import notifications from './notifications';
import outboundEmail from './outbound-email';
import requesterPortal from './requester-portal';
import staff from './staff';
import ticket from './ticket';
import ticketExport from './ticket-export';
import ticketHistory from './ticket-history';
import ticketNumber from './ticket-number';
import ticketQuery from './ticket-query';
import ticketStatistics from './ticket-statistics';
import ticketWorkflow from './ticket-workflow';

export default {
  actor,
  attachment,
  'attachment-upload': attachmentUpload,
  comment,
  contact,
  'email-template': emailTemplate,
  'guest-ticket': guestTicket,
  'helpdesk-setting': helpdeskSetting,
  inbox,
  live,
  macros,
  'mail-ingestion': mailIngestion,
  notifications,
  'outbound-email': outboundEmail,
  'requester-portal': requesterPortal,
  staff,
  ticket,
  'ticket-export': ticketExport,
  'ticket-history': ticketHistory,
  'ticket-number': ticketNumber,
  'ticket-query': ticketQuery,
  'ticket-statistics': ticketStatistics,
  'ticket-workflow': ticketWorkflow,
};
