import { Link as RouterLink } from 'react-router-dom';
import { Badge, Box, Checkbox, Flex, Link, Table, Tbody, Td, TextButton, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { CaretDown, CaretUp } from '@strapi/icons';
import { PriorityBadge, StatusBadge } from '../../components/TicketBadges';
import { fullDate, relativeTime } from './time';
import type { InboxRow, SortField } from './types';
import type { UnseenMark } from '../../lib/live';

export interface Sort {
  field: SortField;
  direction: 'asc' | 'desc';
}

const COLUMNS: Array<{ field: SortField | null; label: string }> = [
  { field: 'ticketNumber', label: 'Number' },
  { field: 'subject', label: 'Subject' },
  { field: null, label: 'Requester' },
  { field: 'ticketStatus', label: 'Status' },
  { field: 'priority', label: 'Priority' },
  { field: 'assignee', label: 'Assignee' },
  { field: 'lastActivityAt', label: 'Last activity' },
  { field: 'dueDate', label: 'Due' },
];

export interface InboxTableProps {
  rows: InboxRow[];
  sort: Sort | null;
  onSort(field: SortField): void;
  selected: Set<string>;
  onSelect(documentId: string, selected: boolean): void;
  onSelectAll(selected: boolean): void;
  /** Tickets changed by someone else since this admin last opened them. */
  marks: Record<string, UnseenMark>;
  /** The row the keyboard marked (j/k), or null. */
  cursor: string | null;
}

const SortHeader = ({ field, label, sort, onSort }: { field: SortField; label: string; sort: Sort | null; onSort(field: SortField): void }) => {
  const active = sort?.field === field;
  const icon = active ? sort?.direction === 'asc' ? <CaretUp /> : <CaretDown /> : undefined;
  return (
    <TextButton
      onClick={() => onSort(field)}
      endIcon={icon}
      aria-label={`Sort by ${label}${active ? (sort?.direction === 'asc' ? ', ascending' : ', descending') : ''}`}
      aria-sort={active ? (sort?.direction === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <Typography variant="sigma" textColor={active ? 'primary600' : 'neutral600'}>
        {label}
      </Typography>
    </TextButton>
  );
};

/** The inbox's ticket table: selectable rows, sortable headers, badges, relative times, red when overdue. */
export const InboxTable = ({ rows, sort, onSort, selected, onSelect, onSelectAll, marks, cursor }: InboxTableProps) => {
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.documentId));
  const someSelected = rows.some((row) => selected.has(row.documentId));
  return (
    <Table colCount={COLUMNS.length + 1} rowCount={rows.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Checkbox
              aria-label="Select all tickets on this page"
              checked={allSelected ? true : someSelected ? 'indeterminate' : false}
              onCheckedChange={(checked) => onSelectAll(checked === true)}
            />
          </Th>
          {COLUMNS.map(({ field, label }) => (
            <Th key={label}>
              {field ? (
                <SortHeader field={field} label={label} sort={sort} onSort={onSort} />
              ) : (
                <Typography variant="sigma" textColor="neutral600">
                  {label}
                </Typography>
              )}
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((row) => (
          <Tr
            key={row.documentId}
            data-ticket={row.ticketNumber}
            data-unseen={marks[row.documentId]}
            data-cursor={cursor === row.documentId || undefined}
            aria-current={cursor === row.documentId || undefined}
            style={cursor === row.documentId ? { boxShadow: 'inset 4px 0 0 #4945ff', background: '#f0f0ff' } : undefined}
          >
            <Td>
              <Checkbox
                aria-label={`Select ${row.ticketNumber}`}
                checked={selected.has(row.documentId)}
                onCheckedChange={(checked) => onSelect(row.documentId, checked === true)}
              />
            </Td>
            <Td>
              <Typography textColor="neutral800" fontWeight="semiBold">
                {row.ticketNumber}
              </Typography>
            </Td>
            <Td>
              <Box maxWidth="32rem">
                <Flex gap={2}>
                  <Link tag={RouterLink} to={`/helpdesk/tickets/${row.documentId}`}>
                    {row.subject}
                  </Link>
                  {marks[row.documentId] && (
                    <Badge backgroundColor={marks[row.documentId] === 'new' ? 'success100' : 'secondary100'} textColor={marks[row.documentId] === 'new' ? 'success700' : 'secondary700'}>
                      {marks[row.documentId] === 'new' ? 'New ticket' : 'Updated'}
                    </Badge>
                  )}
                </Flex>
              </Box>
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start">
                <Typography textColor="neutral800">{row.requester.name ?? row.requester.email ?? '—'}</Typography>
                {row.requester.name && row.requester.email && (
                  <Typography variant="pi" textColor="neutral600">
                    {row.requester.email}
                  </Typography>
                )}
              </Flex>
            </Td>
            <Td>
              <StatusBadge value={row.ticketStatus} />
            </Td>
            <Td>
              <PriorityBadge value={row.priority} />
            </Td>
            <Td>
              <Typography textColor={row.assignee ? 'neutral800' : 'neutral500'}>{row.assignee?.name ?? 'Unassigned'}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800" title={fullDate(row.lastActivityAt)}>
                {relativeTime(row.lastActivityAt)}
              </Typography>
            </Td>
            <Td>
              <Typography
                textColor={row.overdue ? 'danger600' : 'neutral800'}
                fontWeight={row.overdue ? 'bold' : undefined}
                title={fullDate(row.dueDate)}
                data-overdue={row.overdue ? 'true' : 'false'}
              >
                {relativeTime(row.dueDate)}
                {row.overdue && <VisuallyHidden> (overdue)</VisuallyHidden>}
              </Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
