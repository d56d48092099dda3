/** The inbox views the widgets open (router paths under /admin: /admin/helpdesk?view=...). */
export const INBOX_VIEW = {
  open: '/helpdesk?view=open',
  overdue: '/helpdesk?view=overdue',
  unassigned: '/helpdesk?view=unassigned',
  my: '/helpdesk?view=my',
  resolved: '/helpdesk?view=resolved',
} as const;
