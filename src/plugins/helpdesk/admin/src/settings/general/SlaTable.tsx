import { Field, NumberInput, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { PriorityBadge } from '../../components/TicketBadges';
import { PRIORITIES, type Priority } from '../../lib/labels';
import type { HelpdeskSettings } from './types';

type Target = keyof HelpdeskSettings['slaPolicy'][Priority];

const COLUMNS: Array<{ key: Target; label: string }> = [
  { key: 'firstResponseHours', label: 'First response (hours)' },
  { key: 'resolutionHours', label: 'Resolution (hours)' },
];

/** SLA targets per priority, most severe first; a cell shows the server's error for it. */
export const SlaTable = ({
  policy,
  errors,
  onChange,
}: {
  policy: HelpdeskSettings['slaPolicy'];
  errors: Record<string, string>;
  onChange: (priority: Priority, key: Target, value: number | null) => void;
}) => (
  <Table colCount={3} rowCount={PRIORITIES.length + 1}>
    <Thead>
      <Tr>
        <Th>
          <Typography variant="sigma">Priority</Typography>
        </Th>
        {COLUMNS.map((column) => (
          <Th key={column.key}>
            <Typography variant="sigma">{column.label}</Typography>
          </Th>
        ))}
      </Tr>
    </Thead>
    <Tbody>
      {PRIORITIES.map((priority) => (
        <Tr key={priority}>
          <Td>
            <PriorityBadge value={priority} />
          </Td>
          {COLUMNS.map((column) => {
            const path = `slaPolicy.${priority}.${column.key}`;
            return (
              <Td key={column.key} style={{ width: '38%' }}>
                <Field.Root name={path} error={errors[path]} maxWidth="32rem">
                  <Field.Label style={{ position: 'absolute', left: -10000 }}>{`${priority} ${column.label}`}</Field.Label>
                  <NumberInput
                    value={policy[priority][column.key] ?? undefined}
                    step={0.5}
                    size="S"
                    onValueChange={(value) => onChange(priority, column.key, value ?? null)}
                  />
                  <Field.Error />
                </Field.Root>
              </Td>
            );
          })}
        </Tr>
      ))}
    </Tbody>
  </Table>
);
