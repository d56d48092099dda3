import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Box, Button, DateTimePicker, Divider, Field, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { CATEGORIES, CATEGORY_LABELS, PRIORITIES, PRIORITY_LABELS, STATUS_LABELS, labelOf } from '../../lib/labels';
import { StatusBadge } from '../../components/TicketBadges';
import { TagEditor } from '../../components/TagEditor';
import type { Agent, FieldChanges, TicketViewData } from './types';

interface SidePanelProps {
  view: TicketViewData;
  /** Everybody assignable, or null when the list could not be read (then only the current assignee and "me"). */
  agents: Agent[] | null;
  busy: boolean;
  onStatus: (ticketStatus: string) => void;
  onAssign: (agent: number | 'me' | null) => void;
  onFields: (changes: FieldChanges) => void;
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
  const dueChanged = (due?.toISOString() ?? null) !== (ticket.dueDate ? new Date(ticket.dueDate).toISOString() : null);

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
          <RouterLink to={`/helpdesk?search=${encodeURIComponent(requester.email)}`}>
            <Typography variant="pi" textColor="primary600">
              All tickets of this requester
            </Typography>
          </RouterLink>
        )}
      </Section>

      <Divider />

      <Section title="Ticket">
        <Field.Root name="ticketStatus">
          <Field.Label>Status</Field.Label>
          <SingleSelect value={ticket.status} onChange={(value) => value !== ticket.status && onStatus(String(value))} disabled={busy}>
            {[ticket.status, ...ticket.nextStatuses].map((status) => (
              <SingleSelectOption key={status} value={status}>
                {labelOf(STATUS_LABELS, status)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        <Field.Root name="priority">
          <Field.Label>Priority</Field.Label>
          <SingleSelect value={ticket.priority} onChange={(value) => value !== ticket.priority && onFields({ priority: String(value) })} disabled={busy}>
            {PRIORITIES.map((priority) => (
              <SingleSelectOption key={priority} value={priority}>
                {PRIORITY_LABELS[priority]}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        <Field.Root name="category">
          <Field.Label>Category</Field.Label>
          <SingleSelect value={ticket.category} onChange={(value) => value !== ticket.category && onFields({ category: String(value) })} disabled={busy}>
            {CATEGORIES.map((category) => (
              <SingleSelectOption key={category} value={category}>
                {CATEGORY_LABELS[category]}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
      </Section>

      <Divider />

      <Section title="Assignee">
        <Field.Root name="assignee" hint={viewer ? undefined : 'You have no agent account, so you cannot take tickets yourself.'}>
          <Field.Label>Assigned to</Field.Label>
          <SingleSelect
            value={ticket.assignee ? String(ticket.assignee.id) : UNASSIGNED}
            onChange={(value) => {
              const next = value === UNASSIGNED ? null : Number(value);
              if (next !== (ticket.assignee?.id ?? null)) onAssign(next);
            }}
            disabled={busy}
          >
            <SingleSelectOption value={UNASSIGNED}>Unassigned</SingleSelectOption>
            {assignable.map((agent) => (
              <SingleSelectOption key={agent.id} value={String(agent.id)}>
                {agent.id === viewer?.agentId ? `${agent.name} (me)` : agent.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <Field.Hint />
        </Field.Root>
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
            onChange={(date) => setDue(date ?? null)}
            onClear={() => setDue(null)}
            clearLabel="Clear the due date"
            hasError={ticket.overdue}
            disabled={busy}
          />
          <Field.Hint />
        </Field.Root>
        {dueChanged && (
          <Button variant="secondary" onClick={() => onFields({ dueDate: due ? due.toISOString() : null })} disabled={busy}>
            {due ? 'Save due date' : 'Remove due date'}
          </Button>
        )}
      </Section>

      <Divider />

      <Section title="Tags">
        <TagEditor tags={ticket.tags} disabled={busy} onChange={(tags) => onFields({ tags })} />
      </Section>
    </Flex>
  );
};
