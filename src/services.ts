import type { Core } from '@strapi/strapi';
import type { HistoryService } from './api/ticket-history/services/ticket-history';
import type { ContactService } from './api/contact/services/contact';
import type { TicketNumberService } from './api/ticket/services/ticket-number';
import { CONTACT, TICKET_HISTORY } from './uids';

// Typed handles on the services with custom actions (Strapi's registry types them loosely).
export const historyService = (strapi: Core.Strapi) =>
  strapi.service(TICKET_HISTORY) as unknown as HistoryService;
export const contactService = (strapi: Core.Strapi) => strapi.service(CONTACT) as unknown as ContactService;
export const ticketNumberService = (strapi: Core.Strapi) =>
  strapi.service('api::ticket.ticket-number') as unknown as TicketNumberService;
