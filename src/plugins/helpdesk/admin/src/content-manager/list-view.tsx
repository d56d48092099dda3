import type { ReactNode } from 'react';
import { Typography } from '@strapi/design-system';
import { InputRenderer } from '@strapi/strapi/admin';
import { ENUM_VALUE_LABELS } from '../../../shared/contract';
import { PriorityBadge, StatusBadge } from '../components/TicketBadges';
import { AssigneeFilter } from './AssigneeFilter';
import { HELPDESK_UID_PREFIX } from '../../../shared/uids';

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
}

type ListLayout = { metadatas: Record<string, unknown> };

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
  <Typography textColor="neutral800">{value ? ENUM_VALUE_LABELS[value] ?? value : '-'}</Typography>
);

/**
 * The list-view hooks run for every type's list; the page's address names the type (the hooks'
 * arguments do not): the helpdesk changes its own lists only, never the host's.
 */
const isHelpdeskList = (): boolean => {
  const match = /\/content-manager\/(?:collection|single)-types\/([^/?#]+)/.exec(decodeURIComponent(window.location.pathname));
  return Boolean(match?.[1].startsWith(HELPDESK_UID_PREFIX));
};

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
  if (!isHelpdeskList()) return { displayedHeaders, layout };
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
 * Enumeration filters keep their select (Strapi's own input) but are marked as having one, so the
 * applied filter's chip reads the option's words ("Status is In progress") instead of the stored
 * value. The ticket list's Assignee filter picks one of the agents.
 */
export function helpdeskListFilters<Filter extends ListFilter>({ displayedFilters, layout }: ListFiltersArgs<Filter>) {
  if (!isHelpdeskList()) return { displayedFilters, layout };
  const tickets = isTicketList(layout);
  return {
    displayedFilters: displayedFilters.map((filter): Filter => {
      if (tickets && filter.name === 'assignee') return { ...filter, input: AssigneeFilter, operators: IS_OR_IS_NOT };
      if (filter.type === 'enumeration' && !filter.input) return { ...filter, input: InputRenderer };
      return filter;
    }),
    layout,
  };
}
