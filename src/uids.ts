/** Content-type, service and action UIDs, named once (pure TypeScript: the admin bundle imports it too). */
export const TICKET = 'api::ticket.ticket' as const;
export const CONTACT = 'api::contact.contact' as const;
export const COMMENT = 'api::comment.comment' as const;
export const ATTACHMENT = 'api::attachment.attachment' as const;
export const TICKET_HISTORY = 'api::ticket-history.ticket-history' as const;
export const EMAIL_TEMPLATE = 'api::email-template.email-template' as const;
export const HELPDESK_SETTING = 'api::helpdesk-setting.helpdesk-setting' as const;
export const TICKET_SEQUENCE = 'api::ticket-sequence.ticket-sequence' as const;
export const UP_USER = 'plugin::users-permissions.user' as const;
export const UP_ROLE = 'plugin::users-permissions.role' as const;
export const UP_PERMISSION = 'plugin::users-permissions.permission' as const;
export const OUTBOUND_EMAIL = 'api::outbound-email.outbound-email' as const;
export const INBOUND_EMAIL = 'api::inbound-email.inbound-email' as const;
export const MAIL_CURSOR = 'api::mail-cursor.mail-cursor' as const;
export const LEASE = 'api::lease.lease' as const;
export const RATE_LIMIT_COUNTER = 'api::rate-limit-counter.rate-limit-counter' as const;
export const TEAM_NOTIFICATION_BURST = 'api::team-notification-burst.team-notification-burst' as const;
export const CHALLENGE_SOLUTION = 'api::challenge-solution.challenge-solution' as const;
export const MAIL_CHECK = 'api::mail-check.mail-check' as const;
export const ADMIN_USER = 'admin::user' as const;
export const UPLOAD_FILE = 'plugin::upload.file' as const;

/** The admin-panel (RBAC) actions the back office registers; the admin pages check the same ones. */
export const BACK_OFFICE_ACTIONS = {
  /** inbox, ticket view, replies, bulk actions, dashboard widgets */
  work: 'api::helpdesk.tickets.work',
  /** Settings → Helpdesk: company, addresses, SLA, test mail */
  settings: 'api::helpdesk.settings.manage',
  /** Settings → Helpdesk → Agents: make staff members */
  agents: 'api::helpdesk.agents.manage',
} as const;

/** Service UIDs (the content types' own core services are named by their content-type UID above). */
export const TICKET_NUMBER_SERVICE = 'api::ticket.ticket-number' as const;
export const TICKET_WORKFLOW_SERVICE = 'api::ticket.ticket-workflow' as const;
export const REQUESTER_PORTAL_SERVICE = 'api::ticket.requester-portal' as const;
export const GUEST_TICKET_SERVICE = 'api::ticket.guest-ticket' as const;
export const TICKET_QUERY_SERVICE = 'api::ticket.ticket-query' as const;
export const TICKET_STATISTICS_SERVICE = 'api::ticket.ticket-statistics' as const;
export const TICKET_EXPORT_SERVICE = 'api::ticket.ticket-export' as const;
export const ATTACHMENT_UPLOAD_SERVICE = 'api::attachment.attachment-upload' as const;

/** The controllers behind the helpdesk's REST routes (a content type's own controller has its UID). */
export const CONTROLLERS = {
  ticket: TICKET,
  comment: COMMENT,
  attachment: ATTACHMENT,
  contact: CONTACT,
  ticketHistory: TICKET_HISTORY,
  ticketWorkflow: 'api::ticket.ticket-workflow',
  ticketReport: 'api::ticket.ticket-report',
  ticketAttachment: 'api::ticket.ticket-attachment',
  requesterPortal: 'api::ticket.requester-portal',
  mailFile: 'api::attachment.mail-file',
} as const;

/** A controller action's UID: a route's handler, and the users-permissions permission that opens it. */
export const action = <Controller extends keyof typeof CONTROLLERS, Name extends string>(controller: Controller, name: Name) =>
  `${CONTROLLERS[controller]}.${name}` as `${(typeof CONTROLLERS)[Controller]}.${Name}`;

/** Route middlewares. */
export const GUEST_RATE_LIMIT_MIDDLEWARE = 'api::ticket.guest-rate-limit' as const;
