import type { Core } from '@strapi/strapi';
import type { HistoryService } from './api/ticket-history/services/ticket-history';
import type { ContactService } from './api/contact/services/contact';
import type { TicketNumberService } from './api/ticket/services/ticket-number';
import type { Outbox } from './outbox/outbox';
import type { GuestTicketService } from './api/ticket/services/guest-ticket';
import type { SettingsService } from './api/helpdesk-setting/services/helpdesk-setting';
import type { TicketWorkflowService } from './api/ticket/services/ticket-workflow';
import type { RequesterPortalService } from './api/ticket/services/requester-portal';
import { CONTACT, HELPDESK_SETTING, OUTBOUND_EMAIL, TICKET_HISTORY } from './uids';

// Typed handles on the services with custom actions (Strapi's registry types them loosely).
export const historyService = (strapi: Core.Strapi) =>
  strapi.service(TICKET_HISTORY) as unknown as HistoryService;
export const contactService = (strapi: Core.Strapi) => strapi.service(CONTACT) as unknown as ContactService;
export const ticketNumberService = (strapi: Core.Strapi) =>
  strapi.service('api::ticket.ticket-number') as unknown as TicketNumberService;
export const outboxService = (strapi: Core.Strapi) => strapi.service(OUTBOUND_EMAIL) as unknown as Outbox;
export const settingsService = (strapi: Core.Strapi) => strapi.service(HELPDESK_SETTING) as unknown as SettingsService;
export const ticketWorkflowService = (strapi: Core.Strapi) =>
  strapi.service('api::ticket.ticket-workflow') as unknown as TicketWorkflowService;
export const requesterPortalService = (strapi: Core.Strapi) =>
  strapi.service('api::ticket.requester-portal') as unknown as RequesterPortalService;
export const guestTicketService = (strapi: Core.Strapi) =>
  strapi.service('api::ticket.guest-ticket') as unknown as GuestTicketService;
