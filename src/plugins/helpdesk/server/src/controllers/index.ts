/** The helpdesk's controllers (plugin::helpdesk.<name>): the content types' own and the custom actions. */
import attachment from './attachment';
import comment from './comment';
import contact from './contact';
import guestForm from './guest-form';
import mailFile from './mail-file';
import requesterPortal from './requester-portal';
import ticket from './ticket';
import ticketAttachment from './ticket-attachment';
import ticketHistory from './ticket-history';
import ticketReport from './ticket-report';
import ticketWorkflow from './ticket-workflow';

export default {
  attachment,
  comment,
  contact,
  'guest-form': guestForm,
  'mail-file': mailFile,
  'requester-portal': requesterPortal,
  ticket,
  'ticket-attachment': ticketAttachment,
  'ticket-history': ticketHistory,
  'ticket-report': ticketReport,
  'ticket-workflow': ticketWorkflow,
};
