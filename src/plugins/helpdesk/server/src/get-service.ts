import type { Core } from '@strapi/strapi';
import type { HistoryService } from './services/ticket-history';
import type { ContactService } from './services/contact';
import type { TicketNumberService } from './services/ticket-number';
import type { Outbox } from './outbox/outbox';
import type { GuestTicketService } from './services/guest-ticket';
import type { SettingsService } from './services/helpdesk-setting';
import type { TicketWorkflowService } from './services/ticket-workflow';
import type { RequesterPortalService } from './services/requester-portal';
import type { TicketQueryService } from './services/ticket-query';
import type { TicketStatisticsService } from './services/ticket-statistics';
import type { TicketExportService } from './services/ticket-export';
import type { AttachmentUploadService } from './services/attachment-upload';
import type { MailIngestionService } from './services/mail-ingestion';
import type { StaffService } from './services/staff';
import type { ActorService } from './services/actor';
import type { InboxService } from './services/inbox';
import type { LiveService } from './services/live';
import type { NotificationsService } from './services/notifications';
import type { MacrosService } from './services/macros';
import {
  ACTOR_SERVICE,
  ATTACHMENT_UPLOAD_SERVICE,
  CONTACT,
  GUEST_TICKET_SERVICE,
  HELPDESK_SETTING,
  INBOX_SERVICE,
  LIVE_SERVICE,
  NOTIFICATIONS_SERVICE,
  MACROS_SERVICE,
  MAIL_INGESTION_SERVICE,
  OUTBOUND_EMAIL,
  REQUESTER_PORTAL_SERVICE,
  STAFF_SERVICE,
  TICKET_EXPORT_SERVICE,
  TICKET_HISTORY,
  TICKET_NUMBER_SERVICE,
  TICKET_QUERY_SERVICE,
  TICKET_STATISTICS_SERVICE,
  TICKET_WORKFLOW_SERVICE,
} from '../../shared/uids';

/** The helpdesk's services with custom actions, by name, and the UID each is registered under. */
const SERVICE_UIDS = {
  history: TICKET_HISTORY,
  contact: CONTACT,
  ticketNumber: TICKET_NUMBER_SERVICE,
  outbox: OUTBOUND_EMAIL,
  settings: HELPDESK_SETTING,
  ticketWorkflow: TICKET_WORKFLOW_SERVICE,
  requesterPortal: REQUESTER_PORTAL_SERVICE,
  guestTicket: GUEST_TICKET_SERVICE,
  ticketQuery: TICKET_QUERY_SERVICE,
  ticketStatistics: TICKET_STATISTICS_SERVICE,
  ticketExport: TICKET_EXPORT_SERVICE,
  attachmentUpload: ATTACHMENT_UPLOAD_SERVICE,
  mailIngestion: MAIL_INGESTION_SERVICE,
  staff: STAFF_SERVICE,
  actor: ACTOR_SERVICE,
  inbox: INBOX_SERVICE,
  live: LIVE_SERVICE,
  notifications: NOTIFICATIONS_SERVICE,
  macros: MACROS_SERVICE,
} as const;

export interface Services {
  history: HistoryService;
  contact: ContactService;
  ticketNumber: TicketNumberService;
  outbox: Outbox;
  settings: SettingsService;
  ticketWorkflow: TicketWorkflowService;
  requesterPortal: RequesterPortalService;
  guestTicket: GuestTicketService;
  ticketQuery: TicketQueryService;
  ticketStatistics: TicketStatisticsService;
  ticketExport: TicketExportService;
  attachmentUpload: AttachmentUploadService;
  mailIngestion: MailIngestionService;
  staff: StaffService;
  actor: ActorService;
  inbox: InboxService;
  live: LiveService;
  notifications: NotificationsService;
  macros: MacrosService;
}

/** A helpdesk service, typed (Strapi's registry types services loosely): the one cast lives here. */
export function getService<Name extends keyof Services>(strapi: Core.Strapi, name: Name): Services[Name] {
  return strapi.service(SERVICE_UIDS[name]) as unknown as Services[Name];
}
