import { useState } from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { STATUS_LABELS, TICKET_STATUSES } from '../../lib/labels';
import type { Agent } from './types';
import type { MacroView } from '../../../../shared/contract';
import { MacroMenu } from '../../components/MacroMenu';

const NOBODY = 'nobody';

export interface BulkBarProps {
  count: number;
  agents: Agent[];
  busy: boolean;
  onAssign(agent: number | 'me' | null): void;
  onStatus(ticketStatus: string): void;
  macros: MacroView[];
  onMacro(macro: MacroView): void;
  onClear(): void;
}

/** Shown while rows are selected: assign them (to me, an agent or nobody), move their status, or apply a macro. */
export const BulkBar = ({ count, agents, busy, onAssign, onStatus, macros, onMacro, onClear }: BulkBarProps) => {
  const [agent, setAgent] = useState<string>('');
  const [status, setStatus] = useState<string>('');
  const me = agents.find((candidate) => candidate.isMe);
  return (
    <Box background="primary100" borderColor="primary200" hasRadius padding={3} marginBottom={4} data-testid="bulk-bar">
      <Flex gap={4} alignItems="flex-end" wrap="wrap">
        <Box paddingBottom={2}>
          <Typography fontWeight="bold">{count === 1 ? '1 ticket selected' : `${count} tickets selected`}</Typography>
        </Box>
        <Flex gap={2} alignItems="flex-end">
          <Field.Root name="bulk-assignee">
            <Field.Label>Assign to</Field.Label>
            <SingleSelect size="S" placeholder="Choose an agent" value={agent} onChange={(value) => setAgent(String(value))}>
              {me && <SingleSelectOption value="me">Me ({me.name})</SingleSelectOption>}
              {agents
                .filter((candidate) => !candidate.isMe)
                .map((candidate) => (
                  <SingleSelectOption key={candidate.id} value={String(candidate.id)}>
                    {candidate.name}
                  </SingleSelectOption>
                ))}
              <SingleSelectOption value={NOBODY}>Nobody (unassign)</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
          <Button
            variant="secondary"
            size="M"
            disabled={!agent || busy}
            onClick={() => onAssign(agent === 'me' ? 'me' : agent === NOBODY ? null : Number(agent))}
          >
            Assign
          </Button>
        </Flex>
        <Flex gap={2} alignItems="flex-end">
          <Field.Root name="bulk-status">
            <Field.Label>Set status</Field.Label>
            <SingleSelect size="S" placeholder="Choose a status" value={status} onChange={(value) => setStatus(String(value))}>
              {TICKET_STATUSES.filter((value) => value !== 'new').map((value) => (
                <SingleSelectOption key={value} value={value}>
                  {STATUS_LABELS[value]}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          <Button variant="secondary" size="M" disabled={!status || busy} onClick={() => onStatus(status)}>
            Apply status
          </Button>
        </Flex>
        <MacroMenu macros={macros} disabled={busy} onApply={onMacro} />
        <Button variant="tertiary" size="M" onClick={onClear}>
          Clear selection
        </Button>
      </Flex>
    </Box>
  );
};
