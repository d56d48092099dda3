/** Content-type, service and action UIDs, named once (pure TypeScript: the admin bundle imports it too). */
export const PLUGIN_ID = 'helpdesk' as const;
/** Every UID of the helpdesk's own content types, services, controllers and middlewares starts so. */
export const HELPDESK_UID_PREFIX = `plugin::${PLUGIN_ID}.` as const;
/** The plugin-options key every helpdesk type carries (`pluginOptions.helpdesk`), seen by the admin in a layout's options. */
export const HELPDESK_LAYOUT_MARK = PLUGIN_ID;
export const TICKET = 'plugin::helpdesk.ticket' as const;
export const CONTACT = 'plugin::helpdesk.contact' as const;
export const COMMENT = 'plugin::helpdesk.comment' as const;
export const ATTACHMENT = 'plugin::helpdesk.attachment' as const;
export const TICKET_HISTORY = 'plugin::helpdesk.ticket-history' as const;
export const EMAIL_TEMPLATE = 'plugin::helpdesk.email-template' as const;
export const HELPDESK_SETTING = 'plugin::helpdesk.helpdesk-setting' as const;
export const TICKET_SEQUENCE = 'plugin::helpdesk.ticket-sequence' as const;
export const UP_USER = 'plugin::users-permissions.user' as const;
export const UP_ROLE = 'plugin::users-permissions.role' as const;
export const UP_PERMISSION = 'plugin::users-permissions.permission' as const;
export const OUTBOUND_EMAIL = 'plugin::helpdesk.outbound-email' as const;
export const INBOUND_EMAIL = 'plugin::helpdesk.inbound-email' as const;
export const MAIL_CURSOR = 'plugin::helpdesk.mail-cursor' as const;
export const REPLY_DRAFT = 'plugin::helpdesk.reply-draft' as const;
export const LEASE = 'plugin::helpdesk.lease' as const;
export const RATE_LIMIT_COUNTER = 'plugin::helpdesk.rate-limit-counter' as const;
export const TEAM_NOTIFICATION_BURST = 'plugin::helpdesk.team-notification-burst' as const;
export const CHALLENGE_SOLUTION = 'plugin::helpdesk.challenge-solution' as const;
export const MAIL_CHECK = 'plugin::helpdesk.mail-check' as const;
export const NOTIFICATION = 'plugin::helpdesk.notification' as const;
export const CANNED_REPLY = 'plugin::helpdesk.canned-reply' as const;
export const MACRO = 'plugin::helpdesk.macro' as const;
export const TOOL_USE = 'plugin::helpdesk.tool-use' as const;
export const NOTIFICATION_PREFERENCE = 'plugin::helpdesk.notification-preference' as const;
export const ADMIN_USER = 'admin::user' as const;
export const UPLOAD_FILE = 'plugin::upload.file' as const;

/** The admin-panel (RBAC) actions the back office registers; the admin pages check the same ones. */
export const BACK_OFFICE_ACTIONS = {
  /** inbox, ticket view, replies, bulk actions, dashboard widgets */
  work: 'plugin::helpdesk.tickets.work',
  /** Settings → Helpdesk: company, addresses, SLA, test mail */
  settings: 'plugin::helpdesk.settings.manage',
  /** Settings → Helpdesk → Agents: make staff members */
  agents: 'plugin::helpdesk.agents.manage',
} as const;

/** Service UIDs (the content types' own core services are named by their content-type UID above). */
export const TICKET_NUMBER_SERVICE = 'plugin::helpdesk.ticket-number' as const;
export const TICKET_WORKFLOW_SERVICE = 'plugin::helpdesk.ticket-workflow' as const;
export const REQUESTER_PORTAL_SERVICE = 'plugin::helpdesk.requester-portal' as const;
export const GUEST_TICKET_SERVICE = 'plugin::helpdesk.guest-ticket' as const;
export const TICKET_QUERY_SERVICE = 'plugin::helpdesk.ticket-query' as const;
export const TICKET_STATISTICS_SERVICE = 'plugin::helpdesk.ticket-statistics' as const;
export const TICKET_EXPORT_SERVICE = 'plugin::helpdesk.ticket-export' as const;
export const ATTACHMENT_UPLOAD_SERVICE = 'plugin::helpdesk.attachment-upload' as const;
export const MAIL_INGESTION_SERVICE = 'plugin::helpdesk.mail-ingestion' as const;
export const STAFF_SERVICE = 'plugin::helpdesk.staff' as const;
export const ACTOR_SERVICE = 'plugin::helpdesk.actor' as const;
export const INBOX_SERVICE = 'plugin::helpdesk.inbox' as const;
export const LIVE_SERVICE = 'plugin::helpdesk.live' as const;
export const NOTIFICATIONS_SERVICE = 'plugin::helpdesk.notifications' as const;
export const MACROS_SERVICE = 'plugin::helpdesk.macros' as const;

/** The controllers behind the helpdesk's REST routes (a content type's own controller has its UID). */
export const CONTROLLERS = {
  ticket: TICKET,
  comment: COMMENT,
  attachment: ATTACHMENT,
  contact: CONTACT,
  ticketHistory: TICKET_HISTORY,
  ticketWorkflow: 'plugin::helpdesk.ticket-workflow',
  ticketReport: 'plugin::helpdesk.ticket-report',
  ticketAttachment: 'plugin::helpdesk.ticket-attachment',
  requesterPortal: 'plugin::helpdesk.requester-portal',
  mailFile: 'plugin::helpdesk.mail-file',
  guestForm: 'plugin::helpdesk.guest-form',
} as const;

/** A controller action's UID: a route's handler, and the users-permissions permission that opens it. */
export const action = <Controller extends keyof typeof CONTROLLERS, Name extends string>(controller: Controller, name: Name) =>
  `${CONTROLLERS[controller]}.${name}` as `${(typeof CONTROLLERS)[Controller]}.${Name}`;

/** Route middlewares. */
export const GUEST_RATE_LIMIT_MIDDLEWARE = 'plugin::helpdesk.guest-rate-limit' as const;
