import { useEffect, useRef, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Box, Button, DateTimePicker, Divider, Field, Flex, Typography } from '@strapi/design-system';
import { CATEGORY_CHOICES, PRIORITY_CHOICES, STATUS_LABELS, labelOf } from '../../lib/labels';
import { agentLabel } from '../../lib/agents';
import { ChoiceField } from '../../components/ChoiceField';
import { StatusBadge } from '../../components/TicketBadges';
import { TagEditor } from '../../components/TagEditor';
import { CcEditor } from './CcEditor';
import type { Agent, FieldChanges, TicketViewData } from './types';

interface SidePanelProps {
  view: TicketViewData;
  /** Everybody assignable, or null when the list could not be read (then only the current assignee and "me"). */
  agents: Agent[] | null;
  busy: boolean;
  onStatus: (ticketStatus: string) => void;
  onAssign: (agent: number | 'me' | null) => void;
  /** Resolves true when the server took the change. */
  onFields: (changes: FieldChanges) => Promise<boolean>;
}

const UNASSIGNED = 'unassigned';

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Flex tag="section" aria-label={title} direction="column" alignItems="stretch" gap={3}>
    <Typography variant="sigma" textColor="neutral600" tag="h2">
      {title}
    </Typography>
    {children}
  </Flex>
);

export const SidePanel = ({ view, agents, busy, onStatus, onAssign, onFields }: SidePanelProps) => {
  const { ticket, requester, viewer } = view;
  const [due, setDue] = useState<Date | null>(ticket.dueDate ? new Date(ticket.dueDate) : null);
  useEffect(() => setDue(ticket.dueDate ? new Date(ticket.dueDate) : null), [ticket.dueDate]);

  const assignable: Array<{ id: number; name: string }> = agents ?? [
    ...(ticket.assignee ? [ticket.assignee] : []),
    ...(viewer && viewer.agentId !== ticket.assignee?.id ? [{ id: viewer.agentId, name: viewer.name }] : []),
  ];
  // the picker reports one clear twice (onClear, then onChange): one save, not a second on a view
  // the first already changed (which the stale-write check would refuse)
  const dueSent = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    dueSent.current = undefined;
  }, [ticket.dueDate]);
  /** The due date saves as soon as it is picked or cleared, like every other field here. */
  const saveDue = (date: Date | null) => {
    setDue(date);
    const next = date?.toISOString() ?? null;
    if (next === dueSent.current || next === (ticket.dueDate ? new Date(ticket.dueDate).toISOString() : null)) return;
    dueSent.current = next;
    onFields({ dueDate: next });
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={5} background="neutral0" hasRadius shadow="tableShadow" padding={5}>
      <Section title="Requester">
        <Box>
          <Typography fontWeight="bold" tag="p">
            {requester.name}
          </Typography>
          {requester.email && (
            <Typography tag="p" variant="pi">
              <a href={`mailto:${requester.email}`}>{requester.email}</a>
            </Typography>
          )}
          {requester.phone && (
            <Typography tag="p" variant="pi" textColor="neutral600">
              {requester.phone}
            </Typography>
          )}
          {requester.company && (
            <Typography tag="p" variant="pi" textColor="neutral600">
              {requester.company}
            </Typography>
          )}
        </Box>
        {requester.otherTickets.length > 0 && (
          <Flex tag="ul" direction="column" alignItems="stretch" gap={2} aria-label="Other tickets of the requester" style={{ listStyle: 'none', padding: 0 }}>
            {requester.otherTickets.map((other) => (
              <Flex tag="li" key={other.documentId} justifyContent="space-between" gap={2}>
                <RouterLink to={`/helpdesk/tickets/${other.documentId}`} style={{ minWidth: 0 }}>
                  <Typography variant="pi" textColor="primary600" ellipsis>
                    {`${other.number} ${other.subject}`}
                  </Typography>
                </RouterLink>
                <StatusBadge value={other.status} />
              </Flex>
            ))}
          </Flex>
        )}
        {requester.email && (
          <RouterLink to={`/helpdesk?view=all&search=${encodeURIComponent(requester.email)}`}>
            <Typography variant="pi" textColor="primary600">
              All tickets of this requester
            </Typography>
          </RouterLink>
        )}
      </Section>

      <Divider />

      <Section title="Cc">
        <CcEditor addresses={ticket.ccAddresses} disabled={busy} onChange={(ccAddresses) => onFields({ ccAddresses })} />
      </Section>

      <Divider />

      <Section title="Ticket">
        <ChoiceField
          name="ticketStatus"
          label="Status"
          value={ticket.status}
          options={[ticket.status, ...ticket.nextStatuses].map((status) => [status, labelOf(STATUS_LABELS, status)] as const)}
          disabled={busy}
          onChange={(value) => value !== ticket.status && onStatus(value)}
        />
        <ChoiceField name="priority" label="Priority" value={ticket.priority} options={PRIORITY_CHOICES} disabled={busy} onChange={(value) => value !== ticket.priority && onFields({ priority: value })} />
        <ChoiceField name="category" label="Category" value={ticket.category} options={CATEGORY_CHOICES} disabled={busy} onChange={(value) => value !== ticket.category && onFields({ category: value })} />
      </Section>

      <Divider />

      <Section title="Assignee">
        <ChoiceField
          name="assignee"
          label="Assigned to"
          hint={viewer ? undefined : 'You have no agent account, so you cannot take tickets yourself.'}
          value={ticket.assignee ? String(ticket.assignee.id) : UNASSIGNED}
          options={[[UNASSIGNED, 'Unassigned'], ...assignable.map((agent) => [String(agent.id), agentLabel(agent, agent.id === viewer?.agentId)] as const)]}
          disabled={busy}
          onChange={(value) => {
            const next = value === UNASSIGNED ? null : Number(value);
            if (next !== (ticket.assignee?.id ?? null)) onAssign(next);
          }}
        />
        <Button
          variant="secondary"
          onClick={() => onAssign('me')}
          disabled={busy || !viewer || ticket.assignee?.id === viewer.agentId}
        >
          Assign to me
        </Button>
      </Section>

      <Divider />

      <Section title="Due date">
        <Field.Root name="dueDate" hint={ticket.overdue ? 'Overdue' : undefined}>
          <Field.Label>Due</Field.Label>
          <DateTimePicker
            value={due}
            onChange={(date) => saveDue(date ?? null)}
            onClear={() => saveDue(null)}
            clearLabel="Clear the due date"
            hasError={ticket.overdue}
            disabled={busy}
          />
          <Field.Hint />
        </Field.Root>
      </Section>

      <Divider />

      <Section title="Tags">
        <TagEditor tags={ticket.tags} disabled={busy} onChange={(tags) => onFields({ tags })} />
      </Section>
    </Flex>
  );
};
