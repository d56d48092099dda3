/**
 * Ticket fields only the server writes: fixed at creation (numbering, origin, submitter) or stamped
 * by the rules (status times, SLA due dates, the inbox's sort keys). REST refuses them, the Content
 * Manager shows them read-only, no admin role may update them, and the ticket hook refuses a change
 * to them from any request (server code alone stamps them): statistics read these times.
 */
export const CREATE_ONLY_TICKET_FIELDS = ['ticketNumber', 'isGuest', 'source', 'submittedBy'] as const;

export const SERVER_STAMPED_TICKET_FIELDS = [
  'firstResponseAt',
  'firstResponseDueAt',
  'dueDateManual',
  'resolvedAt',
  'closedAt',
  'priorityRank',
  'lastActivityAt',
] as const;

/**
 * Written by the server's own flows only, through their one rule: the Cc list (mail ingestion adds
 * the customer's Cc, staff edit it in the ticket view; the ticket hook checks every write).
 */
export const SERVER_WRITTEN_TICKET_FIELDS = ['ccAddresses'] as const;

/** Every server-owned ticket attribute; `history` too (rows are written by the server and never move). */
export const SERVER_OWNED_TICKET_ATTRIBUTES: readonly string[] = [
  ...CREATE_ONLY_TICKET_FIELDS,
  ...SERVER_STAMPED_TICKET_FIELDS,
  ...SERVER_WRITTEN_TICKET_FIELDS,
  'history',
];
