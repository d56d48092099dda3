import type { ReactNode } from 'react';
import { Typography } from '@strapi/design-system';
import { InputRenderer } from '@strapi/strapi/admin';
import { PriorityBadge, StatusBadge } from '../components/TicketBadges';
import { AssigneeFilter } from './AssigneeFilter';
import { enumerationOptions, enumerationWord, isHelpdeskLayout, type HelpdeskLayoutPart } from './layouts';

/** The Content Manager's hooks for the list view's columns and filters (its HOOKS). */
export const INJECT_COLUMN_IN_TABLE = 'Admin/CM/pages/ListView/inject-column-in-table';
export const INJECT_LIST_VIEW_FILTERS = 'Admin/CM/pages/ListView/inject-in-filters';

type Row = Record<string, unknown>;

/** The part of a Content Manager list column used here. */
interface ListColumn {
  name: string;
  sortable?: boolean;
  attribute: { type: string };
  cellFormatter?: (row: Row) => ReactNode;
}

/** The part of a Content Manager list filter used here. */
interface ListFilter {
  name: string;
  type: string;
  input?: unknown;
  options?: Array<{ value: string; label?: string }>;
}

interface ListLayout extends HelpdeskLayoutPart {
  metadatas: Record<string, unknown>;
}

interface ListColumnsArgs<Column extends ListColumn> {
  displayedHeaders: Column[];
  layout: ListLayout;
}

interface ListFiltersArgs<Filter extends ListFilter> {
  displayedFilters: Filter[];
  layout: ListLayout;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const EnumCell = ({ value }: { value: string | null }) => (
  <Typography textColor="neutral800">{value ? enumerationWord(value) : '-'}</Typography>
);

/** The ticket list is the one whose type carries the inbox's severity key. */
const isTicketList = (layout: ListLayout | undefined) => {
  const metadatas = layout?.metadatas ?? {};
  return 'priorityRank' in metadatas && 'ticketStatus' in metadatas;
};

/**
 * Enumeration columns show words instead of machine values ("In progress", not "in_progress"). In
 * the ticket list, status and priority are the inbox's badges, and Priority sorts by severity
 * (the stored `priorityRank`) rather than alphabetically.
 */
export function helpdeskListColumns<Column extends ListColumn>({ displayedHeaders, layout }: ListColumnsArgs<Column>) {
  if (!isHelpdeskLayout(layout)) return { displayedHeaders, layout };
  const tickets = isTicketList(layout);
  const columns = displayedHeaders.map((column): Column => {
    if (column.attribute.type !== 'enumeration') return column;
    if (tickets && column.name === 'ticketStatus') return { ...column, cellFormatter: (row: Row) => <StatusBadge value={text(row.ticketStatus)} /> };
    if (tickets && column.name === 'priority') {
      return { ...column, name: 'priorityRank', sortable: true, cellFormatter: (row: Row) => <PriorityBadge value={text(row.priority)} /> };
    }
    return { ...column, cellFormatter: (row: Row) => <EnumCell value={text(row[column.name])} /> };
  });
  return { displayedHeaders: columns, layout };
}

const IS_OR_IS_NOT = [
  { value: '$eq', label: { id: 'components.FilterOptions.FILTER_TYPES.$eq', defaultMessage: 'is' } },
  { value: '$ne', label: { id: 'components.FilterOptions.FILTER_TYPES.$ne', defaultMessage: 'is not' } },
];

/**
 * Enumeration filters keep their select (Strapi's own input) with the helpdesk's words as option
 * labels, and are marked as having an input, so the applied filter's chip reads the option's words
 * ("Status is In progress") instead of the stored value. The ticket list's Assignee filter picks one
 * of the agents.
 */
export function helpdeskListFilters<Filter extends ListFilter>({ displayedFilters, layout }: ListFiltersArgs<Filter>) {
  if (!isHelpdeskLayout(layout)) return { displayedFilters, layout };
  const tickets = isTicketList(layout);
  return {
    displayedFilters: displayedFilters.map((filter): Filter => {
      if (tickets && filter.name === 'assignee') return { ...filter, input: AssigneeFilter, operators: IS_OR_IS_NOT };
      if (filter.type === 'enumeration' && !filter.input) {
        return { ...filter, input: InputRenderer, options: enumerationOptions((filter.options ?? []).map((option) => option.value)) };
      }
      return filter;
    }),
    layout,
  };
}
