import { useCallback, useEffect, useRef, useState } from 'react';
import { NavLink } from 'react-router-dom';
import { Badge, Box, Button, Field, Flex, Popover, SingleSelect, SingleSelectOption, Typography, VisuallyHidden } from '@strapi/design-system';
import { Bell } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { NOTIFICATION_MAIL_CHOICES, RECORD_ENUM_LABELS, type NotificationMail, type NotificationsAnswer } from '../../../shared/contract';
import { useLiveChanges } from '../lib/live';
import { relativeTime } from '../pages/inbox/time';

/** Polled besides the live feed: an SLA warning comes from the reminder task, not from a ticket change. */
const POLL_MS = 30_000;

const MAIL_WORDS: Record<NotificationMail, string> = {
  each: 'For each notification',
  digest: 'First at once, then a digest',
  off: 'Never',
};

/**
 * The agent's notifications (GET /helpdesk-admin/notifications): a bell with the unread count in
 * the Helpdesk pages' header, a list linking to each ticket, "Mark all read" and the mail
 * preference. Opening a ticket (`ticket`) marks its notifications read. Fetched again on every live
 * change and every 30 s. Admins without an agent account are never notified: no bell.
 */
export function NotificationBell({ ticket }: { ticket?: string }) {
  const { get, post, put } = useFetchClient();
  const [answer, setAnswer] = useState<NotificationsAnswer | null>(null);
  const [open, setOpen] = useState(false);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const response = await get<NotificationsAnswer>('/helpdesk-admin/notifications');
      if (alive.current) setAnswer(response.data);
    } catch {
      // the next live change or poll tries again
    }
  }, [get]);

  const markRead = useCallback(
    async (selection: { ids: number[] } | { ticket: string } | { all: true }) => {
      await post('/helpdesk-admin/notifications/read', selection).catch(() => undefined);
      await refresh();
    },
    [post, refresh]
  );

  useEffect(() => {
    alive.current = true;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [refresh]);
  // the ticket being opened: what was told of it is seen now
  useEffect(() => {
    if (ticket) void markRead({ ticket });
    else void refresh();
  }, [ticket, markRead, refresh]);
  useLiveChanges(() => void refresh());

  if (!answer?.meta.isAgent) return null;
  const { unread, mail } = answer.meta;
  const setMail = async (choice: NotificationMail) => {
    await put('/helpdesk-admin/notifications/preferences', { mail: choice }).catch(() => undefined);
    await refresh();
  };

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger>
        <Button variant="tertiary" startIcon={<Bell />} aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'} data-testid="notification-bell">
          {unread > 0 ? <Badge active>{unread}</Badge> : <VisuallyHidden>Notifications</VisuallyHidden>}
        </Button>
      </Popover.Trigger>
      <Popover.Content side="bottom" align="start">
        <Box padding={4} width="36rem" data-testid="notification-list">
          <Flex justifyContent="space-between" paddingBottom={3}>
            <Typography variant="delta" tag="h2">
              Notifications
            </Typography>
            <Button variant="ghost" size="S" disabled={unread === 0} onClick={() => void markRead({ all: true })}>
              Mark all read
            </Button>
          </Flex>
          {answer.data.length === 0 ? (
            <Typography variant="omega" textColor="neutral600">
              Nothing yet. You are told here when a customer replies to your ticket, a ticket of yours is reopened, an SLA target is near, or a colleague mentions you in an internal note.
            </Typography>
          ) : (
            <Flex tag="ul" direction="column" alignItems="stretch" gap={1}>
              {answer.data.map((item) => (
                <Box tag="li" key={item.id} padding={2} hasRadius background={item.read ? undefined : 'primary100'} data-read={item.read}>
                  <NavLink
                    to={`/helpdesk/tickets/${item.ticket.documentId}`}
                    style={{ textDecoration: 'none' }}
                    onClick={() => {
                      setOpen(false);
                      if (!item.read) void markRead({ ids: [item.id] });
                    }}
                  >
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Typography variant="pi" textColor="neutral600">
                        {RECORD_ENUM_LABELS[item.kind] ?? item.kind} · {item.ticket.ticketNumber} · {relativeTime(item.createdAt)}
                      </Typography>
                      <Typography variant="omega" fontWeight={item.read ? 'regular' : 'bold'} textColor="neutral800">
                        {item.text}
                      </Typography>
                    </Flex>
                  </NavLink>
                </Box>
              ))}
            </Flex>
          )}
          <Box paddingTop={4}>
            <Field.Root name="notificationMail" hint="Customer replies, reopenings, SLA warnings and mentions">
              <Field.Label>Email me</Field.Label>
              <SingleSelect value={mail} onChange={(value) => void setMail(String(value) as NotificationMail)}>
                {NOTIFICATION_MAIL_CHOICES.map((choice) => (
                  <SingleSelectOption key={choice} value={choice}>
                    {MAIL_WORDS[choice]}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
          </Box>
        </Box>
      </Popover.Content>
    </Popover.Root>
  );
}
