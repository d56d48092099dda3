/**
 * The back office's API contract: what the /helpdesk-admin routes answer, and the words staff read
 * for the ticket enumerations. One source for the server services (src/back-office), the admin
 * panel (src/admin) and the tests.
 *
 * Pure TypeScript only: no imports at all (no Strapi, Node or React), so both the server build and
 * the admin bundle can include this file.
 */

/* ---------------------------------------------------------------- enumerations and their words */

/** The ticket enumerations (the schema keeps these machine values). */
export const TICKET_STATUSES = ['new', 'open', 'in_progress', 'pending', 'on_hold', 'resolved', 'closed', 'reopened'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses that end a ticket's life: such a ticket needs no more work, is neither overdue nor waiting for anyone. */
export const DONE_STATUSES = ['resolved', 'closed'] as const satisfies readonly TicketStatus[];

/** Most severe first: the order staff sort by. */
export const PRIORITIES = ['critical', 'urgent', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = ['support', 'technical', 'billing', 'product', 'feature_request', 'bug', 'general'] as const;
export type Category = (typeof CATEGORIES)[number];

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  in_progress: 'In progress',
  pending: 'Pending',
  on_hold: 'On hold',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  critical: 'Critical',
  urgent: 'Urgent',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  support: 'Support',
  technical: 'Technical',
  billing: 'Billing',
  product: 'Product',
  feature_request: 'Feature request',
  bug: 'Bug',
  general: 'General',
};

/** Words for the record's other enumerations: where a ticket or comment came from, who acted, history actions, mail states. */
export const RECORD_ENUM_LABELS: Readonly<Record<string, string>> = {
  web: 'Web form',
  email: 'Email',
  api: 'API',
  admin: 'Admin panel',
  agent: 'Agent',
  requester: 'Requester',
  staff: 'Staff',
  system: 'System',
  created: 'Created',
  status_changed: 'Status changed',
  priority_changed: 'Priority changed',
  category_changed: 'Category changed',
  assigned: 'Assigned',
  due_date_changed: 'Due date changed',
  tags_changed: 'Tags changed',
  cc_changed: 'Cc changed',
  commented: 'Commented',
  attachment_added: 'File added',
  deleted: 'Deleted',
  contact_changed: 'Contact changed',
  comment_edited: 'Comment edited',
  comment_detached: 'Comment detached',
  comment_deleted: 'Comment deleted',
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  suppressed: 'Suppressed',
  ticket_created: 'Ticket created',
  comment_added: 'Comment added',
  bounce_recorded: 'Bounce recorded',
  ignored_duplicate: 'Duplicate, ignored',
  quarantined: 'Quarantined',
  too_large: 'Too large, not downloaded',
  macro_applied: 'Macro applied',
  canned_reply: 'Canned reply',
  macro: 'Macro',
  keep: 'Keep as it is',
  applier: 'Whoever applies it',
  unassign: 'Nobody (unassign)',
  customer_reply: 'Customer reply',
  reopened: 'Reopened',
  sla_warning: 'SLA target soon',
  mention: 'Mention',
  each: 'Each one',
  digest: 'Digest of a burst',
  off: 'Off',
};

/**
 * Every enumeration value of the helpdesk types and its words. The admin panel registers it as
 * translations, which the Content Manager looks enumeration values up by (selects, filters); a test
 * checks that no schema value is missing.
 */
export const ENUM_VALUE_LABELS: Readonly<Record<string, string>> = {
  ...STATUS_LABELS,
  ...PRIORITY_LABELS,
  ...CATEGORY_LABELS,
  ...RECORD_ENUM_LABELS,
};

/* ------------------------------------------------- GET /helpdesk-admin/agents (the inbox's route) */

/** Everybody a ticket can be assigned to; isMe marks the admin at the keyboard. */
export interface Agent {
  id: number;
  documentId: string;
  name: string;
  email: string;
  isMe: boolean;
}

/* ------------------------------------ GET /helpdesk-admin/staff (Settings → Helpdesk → Agents) */

/** Staff as the Agents page lists them: every agent, and whether they can use the panel. */
export interface StaffListEntry {
  id: number;
  documentId: string;
  name: string;
  email: string;
  /** an active admin user with this email exists */
  canSignInToPanel: boolean;
  blocked: boolean;
}

/* ------------------------------------------ GET /helpdesk-admin/dashboard (the home page widgets) */

/** What still needs work: every status but resolved and closed. */
export type OpenTicketStatus = Exclude<TicketStatus, (typeof DONE_STATUSES)[number]>;

export interface Dashboard {
  /** Open tickets (not resolved or closed). */
  open: number;
  byStatus: Record<OpenTicketStatus, number>;
  /** Open tickets past their due date. */
  overdue: number;
  /** Open tickets nobody is assigned to. */
  unassigned: number;
  /** Open tickets assigned to the signed-in admin's agent account; null when the admin is no agent. */
  mine: number | null;
  /** Why `mine` is null (the admin has no agent account), for the widget. */
  mineHint: string | null;
  /** Tickets created and resolved per UTC day, oldest first, today last. */
  createdVsResolved: Array<{ date: string; created: number; resolved: number }>;
}

/* ------------------------------------------------ the inbox (src/back-office/inbox) */

/** The inbox's views, in the order the panel lists them. */
export const INBOX_VIEWS = ['my', 'unassigned', 'overdue', 'open', 'resolved', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/** Columns the inbox sorts by (`priority` sorts by severity). */
export const INBOX_SORTS = ['ticketNumber', 'subject', 'ticketStatus', 'priority', 'assignee', 'lastActivityAt', 'dueDate', 'createdAt'] as const;
export type InboxSortField = (typeof INBOX_SORTS)[number];

/** One row of GET /helpdesk-admin/tickets. */
export interface InboxRow {
  documentId: string;
  ticketNumber: string;
  subject: string;
  requester: { name: string | null; email: string | null };
  ticketStatus: string;
  priority: string;
  category: string;
  assignee: { id: number; name: string } | null;
  lastActivityAt: string | null;
  dueDate: string | null;
  overdue: boolean;
}

/** GET /helpdesk-admin/tickets */
export interface InboxPage {
  data: InboxRow[];
  meta: { pagination: { page: number; pageSize: number; total: number; pageCount: number }; view: InboxView; agent: { id: number } | null };
}

/** One ticket's outcome in a bulk action. */
export interface BulkResult {
  documentId: string;
  ticketNumber: string | null;
  ok: boolean;
  error?: string;
}

/** POST /helpdesk-admin/tickets/bulk/preview: what a bulk action would do before it is confirmed. */
export interface BulkPreview {
  /** The tickets found among those selected. */
  tickets: number;
  /** How many of them would mail their requester (a status the settings mail, a macro's public reply). */
  customerMails: number;
}

/* ------------------------------------ GET /helpdesk-admin/tickets/:documentId (src/back-office/ticket-view) */

export interface TimelineAttachment {
  id: number;
  name: string;
  size: number | null;
  mime: string | null;
  url: string | null;
}

export type MessageKind = 'opening' | 'customer' | 'public_reply' | 'internal_note';

export type TimelineItem =
  | {
      type: 'message';
      kind: MessageKind;
      id: string;
      at: string;
      author: string;
      body: string;
      /**
       * The mail's HTML when the message came as an HTML mail, sanitised at ingestion
       * (src/mail-ingestion/html.ts: remote images unloaded in data-remote-src, inline images
       * naming their file in data-inline-file); null: show `body`.
       */
      html: string | null;
      /** The message's files: the mail's attachments and inline images, or the files sent with a reply. */
      attachments: TimelineAttachment[];
    }
  | { type: 'event'; id: string; at: string; action: string; text: string; note: string | null }
  | { type: 'attachment'; id: string; at: string; author: string; attachment: TimelineAttachment };

export interface TicketViewData {
  ticket: {
    documentId: string;
    number: string;
    subject: string;
    description: string | null;
    status: string;
    /** Where the status may go from here (the transition table), for the status pickers. */
    nextStatuses: string[];
    priority: string;
    category: string;
    source: string;
    dueDate: string | null;
    overdue: boolean;
    tags: string[];
    /** Who gets the public replies and status mails besides the requester (lower-cased addresses). */
    ccAddresses: string[];
    createdAt: string;
    assignee: { id: number; documentId: string; name: string } | null;
  };
  requester: {
    name: string;
    email: string | null;
    phone: string | null;
    company: string | null;
    otherTickets: Array<{ documentId: string; number: string; subject: string; status: string }>;
  };
  timeline: TimelineItem[];
  /** The admin at the keyboard as an assignee: their agent account, or null when they have none. */
  viewer: { agentId: number; name: string } | null;
  /**
   * What the view was read at (the ticket's newest history row). The ticket view sends it back with
   * every change in TICKET_VERSION_HEADER; a change made since then refuses the write with 409.
   */
  version: string;
}

/** The request header a ticket view's writes carry their version in (optional for other clients). */
export const TICKET_VERSION_HEADER = 'x-helpdesk-ticket-version';

/** The 409's details when a write was based on an older version: the version now, and what changed. */
export interface StaleTicketDetails {
  reason: 'stale';
  version: string;
  /** The newest change since, in words ("Bob Builder changed status from New to Resolved"). */
  latest: string;
  /** How many changes were made since the version the write was based on. */
  changes: number;
}

/* ------------------------------------------------ settings (src/back-office/settings) */

/** GET /helpdesk-admin/settings/mail: the mail configuration from the environment (secrets masked). */
export interface MailConfigView {
  smtp: {
    /** SMTP_HOST is set: the outbox delivers (otherwise mail stays queued). */
    deliveryEnabled: boolean;
    host: string | null;
    port: number | null;
    secure: boolean;
    startTLS: boolean;
    user: string | null;
    password: string | null;
    from: string | null;
  };
  imap: {
    host: string | null;
    port: number | null;
    user: string | null;
    password: string | null;
    folder: string | null;
    processedFolder: string | null;
    ssl: boolean | null;
  };
  emailToTicket: {
    enabled: boolean;
    /** Enabled and IMAP fully configured: the mailbox is polled. */
    active: boolean;
    checkIntervalSeconds: number | null;
    /** Required IMAP variables that are missing, or malformed variables (the start-up check's words). */
    problems: string[];
    /**
     * The instance reading the mailbox now (its ingestion lease: host, pid, until when, last
     * heartbeat), or null when no run is in progress.
     */
    holder: IngestionHolderView | null;
  };
  supportEmail: string | null;
}

export interface IngestionHolderView {
  host: string | null;
  pid: number | null;
  /** ISO 8601: the lease lapses then unless its heartbeat renews it. */
  expiresAt: string;
  heartbeatAt: string | null;
}

/** POST /helpdesk-admin/settings/test-mail */
export interface TestMailResult {
  ok: boolean;
  to: string;
  /** The server's final answer ("250 Accepted ..."), or the error's SMTP reply when it gave one. */
  response: string | null;
  /** The error (connection refused, timeout, rejected recipient, ...) when ok is false. */
  error: string | null;
  /** nodemailer's error code (ECONNECTION, EAUTH, EENVELOPE, ...) when ok is false. */
  code: string | null;
  messageId: string | null;
}

/**
 * GET /helpdesk-admin/settings/mail/health: how the checks of the support mailbox go (the cron
 * task's and "Check now"; recorded in the database, so every instance shows the same).
 */
export interface MailHealthView {
  /** EMAIL_TO_TICKET_ENABLED as set. */
  enabled: boolean;
  /** Enabled and IMAP fully configured: the mailbox is checked every checkIntervalSeconds. */
  active: boolean;
  checkIntervalSeconds: number | null;
  /** Why it is not active although enabled (missing or malformed variables). */
  problems: string[];
  /** The last check that read the mailbox (ISO 8601) and how many mails it read. */
  lastSuccess: { at: string; mails: number } | null;
  /** The last check that failed, and why (secrets masked). */
  lastError: { at: string; message: string } | null;
  /** The instance reading the mailbox now (its lease), or null: nobody. */
  holder: IngestionHolderView | null;
  /** Mails recorded since `since` (24 hours ago), by outcome: every outcome, in the schema's order. */
  lastDay: { since: string; total: number; outcomes: Array<{ outcome: string; count: number }> };
}

/**
 * POST /helpdesk-admin/settings/mail/check: one check ran now. `ok: false` with the error when it
 * failed (the check ran; its finding is the answer); `health` as it is afterwards.
 */
export interface MailCheckResult {
  ok: boolean;
  /** Mails the check read. */
  mails: number;
  error: string | null;
  health: MailHealthView;
}

/* ------------------------------------ GET /helpdesk-admin/live (server-sent events, src/live) */

/** The live feed's path, below the admin API. */
export const LIVE_PATH = '/helpdesk-admin/live';

/**
 * One change to a ticket or to what hangs on it (a comment, a file), from any origin: REST, the
 * panel, mail, server code, another instance. Only what a view needs to know to fetch again; what
 * it then sees is decided by the route it fetches from.
 */
export interface LiveChange {
  /** The ticket's documentId. */
  ticket: string;
  /** What happened: the ticket was created, changed (its fields, or a comment or file on it), or deleted. */
  kind: 'created' | 'updated' | 'deleted';
  /** When it was committed (ISO 8601). */
  at: string;
  /** Who made it: `admin:<id>` for an admin in the panel, `agent:<id>`, `requester`, `system`; a view skips marking its own admin's changes. */
  by: string;
}

/** Who has a ticket open in the panel, and whether they are writing a reply (not stored; sent as it happens). */
export interface LivePresence {
  ticket: string;
  admin: { id: number; name: string };
  /** `viewing` and `typing` are repeated every PRESENCE_HEARTBEAT_MS while true; `left` ends it. */
  state: 'viewing' | 'typing' | 'left';
  at: string;
}

/** How often an open ticket view says it is still there; a presence not repeated for 2.5 times this is gone. */
export const PRESENCE_HEARTBEAT_MS = 10_000;

/** The SSE events of the feed: `ready` once connected, then a `change` per committed change and `presence` as staff come and go. */
export type LiveEventName = 'ready' | 'change' | 'presence';

/* ------------------------------ GET|PUT|DELETE /helpdesk-admin/tickets/:documentId/draft (src/back-office/drafts) */

/** The reply an admin is writing on a ticket, kept on the server for that admin only until it is sent or emptied. */
export interface ReplyDraftView {
  body: string;
  isInternal: boolean;
  savedAt: string;
}

/* ------------------------------------------- /helpdesk-admin/notifications (back-office/notifications) */

export const NOTIFICATION_KINDS = ['customer_reply', 'reopened', 'sla_warning', 'mention'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How an agent is mailed of their notifications: each one, the first of a burst and a digest of the rest, or not at all. */
export const NOTIFICATION_MAIL_CHOICES = ['each', 'digest', 'off'] as const;
export type NotificationMail = (typeof NOTIFICATION_MAIL_CHOICES)[number];

/** One notification under the bell. */
export interface NotificationView {
  id: number;
  kind: NotificationKind;
  text: string;
  ticket: { documentId: string; ticketNumber: string | null };
  createdAt: string;
  read: boolean;
}

/** GET /helpdesk-admin/notifications: the newest, with the unread count and the mail preference. */
export interface NotificationsAnswer {
  data: NotificationView[];
  meta: {
    unread: number;
    mail: NotificationMail;
    /** Only agents (admins with an agent account) are assigned tickets and notified. */
    isAgent: boolean;
  };
}

/* ------------------------------- /helpdesk-admin/canned-replies and /macros (back-office/macros) */

/** A canned reply for the composer: its body with the ticket's {variables} filled in. */
export interface CannedReplyView {
  id: number;
  title: string;
  body: string;
  personal: boolean;
}

/** A macro as the ticket view and the bulk bar offer it: what it will do, in words. */
export interface MacroView {
  id: number;
  title: string;
  actions: string[];
  /** It sends the customer a reply (public): the bulk bar counts these mails before applying. */
  mailsCustomer: boolean;
}
