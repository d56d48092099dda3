import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMacros } from '../lib/macros';
import { NotificationBell } from '../components/NotificationBell';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  Alert,
  Badge,
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Field,
  Flex,
  Loader,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Tabs,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page, useAuth, useFetchClient } from '@strapi/strapi/admin';
import { CATEGORIES, CATEGORY_LABELS, PRIORITIES, PRIORITY_LABELS, STATUS_LABELS, TICKET_STATUSES } from '../lib/labels';
import { agentLabel, useAgents } from '../lib/agents';
import { markUnseen, unseenMarks, useLiveChanges } from '../lib/live';
import { INBOX_SHORTCUTS, rememberInboxOrder, useShortcuts } from '../lib/shortcuts';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { BulkBar } from './inbox/BulkBar';
import { NewTicketDialog } from './inbox/NewTicketDialog';
import { InboxTable, type Sort } from './inbox/InboxTable';
import type { BulkPreview } from '../../../shared/contract';
import { VIEWS, errorMessage, isView, type BulkResult, type InboxPage, type SortField, type ViewId } from './inbox/types';

const PAGE_SIZE = 20;
const SEARCH_AFTER_MS = 300;
/** The URL parameters the inbox keeps its state in (links from the home widgets set them). */
const FILTERS = ['ticketStatus', 'priority', 'category', 'assignee'] as const;
type FilterName = (typeof FILTERS)[number];

interface BulkReport {
  action: string;
  results: BulkResult[];
}

function parseSort(value: string | null): Sort | null {
  if (!value) return null;
  const [field, direction] = value.split(':');
  return { field: field as SortField, direction: direction === 'desc' ? 'desc' : 'asc' };
}

/** The helpdesk inbox: views, search, filters, sortable columns, bulk actions, pagination. */
export const Inbox = () => {
  const { get, post } = useFetchClient();
  const [params, setParams] = useSearchParams();
  const view: ViewId = isView(params.get('view')) ? (params.get('view') as ViewId) : 'open';
  const search = params.get('search') ?? '';
  const sort = parseSort(params.get('sort'));
  const page = Math.max(1, Number(params.get('page')) || 1);

  const [answer, setAnswer] = useState<InboxPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [counts, setCounts] = useState<Partial<Record<ViewId, number>>>({});
  const agents = useAgents() ?? [];
  const macros = useMacros();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [searchText, setSearchText] = useState(search);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<BulkReport | null>(null);
  const [reload, setReload] = useState(0);
  const [marks, setMarks] = useState(unseenMarks);
  const me = useAuth('HelpdeskInbox', (auth) => auth.user?.id);

  // live: rows and counts follow every change, wherever it was made; others' changes are marked
  const refetchSoon = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveChanges((change) => {
    if (change && change.by !== `admin:${me}`) setMarks(markUnseen(change));
    if (refetchSoon.current) return;
    refetchSoon.current = setTimeout(() => {
      refetchSoon.current = null;
      setReload((n) => n + 1);
    }, 250);
  });
  useEffect(() => () => {
    if (refetchSoon.current) clearTimeout(refetchSoon.current);
  }, []);

  /** Changes URL parameters (null removes one); any change but the page goes back to page 1. */
  const update = useCallback(
    (changes: Record<string, string | null>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      });
    },
    [setParams]
  );

  const query = useMemo(() => {
    const q = new URLSearchParams({ view, page: String(page), pageSize: String(PAGE_SIZE) });
    if (search) q.set('search', search);
    for (const name of FILTERS) {
      const value = params.get(name);
      if (value) q.set(name, value);
    }
    if (sort) q.set('sort', `${sort.field}:${sort.direction}`);
    return q.toString();
  }, [view, page, search, sort?.field, sort?.direction, params]);

  useEffect(() => setSearchText(search), [search]);

  // search as you type: the list follows a moment after the last keystroke (Enter searches at once)
  useEffect(() => {
    const text = searchText.trim();
    if (text === search) return undefined;
    const timer = setTimeout(() => update({ search: text || null }), SEARCH_AFTER_MS);
    return () => clearTimeout(timer);
  }, [searchText, search, update]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    get<InboxPage>(`/helpdesk-admin/tickets?${query}`)
      .then(({ data }) => {
        if (!live) return;
        setAnswer(data);
        setError(null);
      })
      .catch((failure: unknown) => live && setError(errorMessage(failure)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [get, query, reload]);

  useEffect(() => {
    get<{ data: Record<ViewId, number> }>('/helpdesk-admin/tickets/counts')
      .then(({ data }) => setCounts(data.data))
      .catch(() => setCounts({}));
  }, [get, reload]);

  // a new page of rows keeps only the selection still on it
  useEffect(() => {
    const shown = new Set(answer?.data.map((row) => row.documentId) ?? []);
    setSelected((current) => new Set([...current].filter((id) => shown.has(id))));
  }, [answer]);

  const onSort = (field: SortField) => {
    // priority starts with the most severe, the other columns ascending
    const first = field === 'priority' || field === 'lastActivityAt' ? 'desc' : 'asc';
    const direction = sort?.field === field ? (sort.direction === 'asc' ? 'desc' : 'asc') : first;
    update({ sort: `${field}:${direction}` });
  };

  const runBulk = async (body: Record<string, unknown>, action: string) => {
    setBusy(true);
    setReport(null);
    try {
      const { data } = await post<{ data: BulkResult[] }>('/helpdesk-admin/tickets/bulk', { documentIds: [...selected], ...body });
      setReport({ action, results: data.data });
      setSelected(new Set(data.data.filter((result) => !result.ok).map((result) => result.documentId)));
    } catch (failure) {
      setReport({ action, results: [{ documentId: '', ticketNumber: null, ok: false, error: errorMessage(failure) }] });
    } finally {
      setBusy(false);
      setReload((n) => n + 1);
    }
  };

  // a bulk change that mails customers says how many and asks first
  const [pendingBulk, setPendingBulk] = useState<{ body: Record<string, unknown>; action: string; preview: BulkPreview } | null>(null);
  const confirmBulk = async (body: Record<string, unknown>, action: string) => {
    try {
      const { data } = await post<{ data: BulkPreview }>('/helpdesk-admin/tickets/bulk/preview', { documentIds: [...selected], ...body });
      if (data.data.customerMails > 0) setPendingBulk({ body, action, preview: data.data });
      else await runBulk(body, action);
    } catch (failure) {
      setReport({ action, results: [{ documentId: '', ticketNumber: null, ok: false, error: errorMessage(failure) }] });
    }
  };

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    update({ search: searchText.trim() || null });
  };

  const rows = answer?.data ?? [];

  // keyboard: j/k mark a row (the mark stays on its ticket when the list refreshes), o or Enter
  // opens it; the ticket view's j/k follow this list
  const navigate = useNavigate();
  const [cursor, setCursor] = useState<string | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  useEffect(() => rememberInboxOrder(rows.map((row) => row.documentId)), [rows]);
  const moveCursor = (step: 1 | -1) => {
    const at = rows.findIndex((row) => row.documentId === cursor);
    const next = rows[at < 0 ? (step === 1 ? 0 : rows.length - 1) : Math.min(Math.max(at + step, 0), rows.length - 1)];
    if (next) setCursor(next.documentId);
  };
  const openMarked = () => {
    if (cursor && rows.some((row) => row.documentId === cursor)) navigate(`/helpdesk/tickets/${cursor}`);
  };
  useShortcuts({
    j: () => moveCursor(1),
    k: () => moveCursor(-1),
    o: openMarked,
    Enter: openMarked,
    '/': () => document.querySelector<HTMLInputElement>('input[name="search"]')?.focus(),
    '?': () => setShowShortcuts(true),
  });
  const pagination = answer?.meta.pagination;
  const failures = report?.results.filter((result) => !result.ok) ?? [];
  const succeeded = report ? report.results.length - failures.length : 0;
  const noAgentAccount = view === 'my' && answer !== null && answer.meta.agent === null;

  const filterSelect = (name: FilterName, label: string, options: Array<[string, string]>) => (
    <Box minWidth="16rem" key={name}>
      <Field.Root name={name}>
        <Field.Label>{label}</Field.Label>
        <SingleSelect
          size="S"
          placeholder={`Any ${label.toLowerCase()}`}
          value={params.get(name) ?? ''}
          onChange={(value) => update({ [name]: String(value) })}
          onClear={() => update({ [name]: null })}
          clearLabel={`Clear ${label.toLowerCase()}`}
        >
          {options.map(([value, text]) => (
            <SingleSelectOption key={value} value={value}>
              {text}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
    </Box>
  );

  return (
    <Page.Main>
      <Page.Title>Helpdesk</Page.Title>
      <ShortcutsDialog open={showShortcuts} onClose={() => setShowShortcuts(false)} shortcuts={INBOX_SHORTCUTS} />
      <Layouts.Header
        title="Helpdesk"
        subtitle={pagination ? `${pagination.total} ${pagination.total === 1 ? 'ticket' : 'tickets'} in ${VIEWS.find((v) => v.id === view)?.label}` : 'Inbox'}
        primaryAction={<NewTicketDialog agents={agents} />}
        secondaryAction={<NotificationBell />}
      />
      <Layouts.Content>
        <Tabs.Root value={view} onValueChange={(value) => update({ view: value, sort: null })}>
          <Tabs.List aria-label="Inbox views">
            {VIEWS.map(({ id, label }) => (
              <Tabs.Trigger key={id} value={id}>
                {label}
                {counts[id] !== undefined && (
                  <Box tag="span" marginLeft={2}>
                    <Badge active={id === view}>{counts[id]}</Badge>
                  </Box>
                )}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
        </Tabs.Root>

        <Box background="neutral0" hasRadius shadow="tableShadow" padding={4} marginTop={4} marginBottom={4}>
          <Flex gap={4} alignItems="flex-end" wrap="wrap">
            <Box minWidth="28rem">
              <form onSubmit={onSearch} role="search">
                <Searchbar
                  name="search"
                  value={searchText}
                  onChange={(event) => setSearchText(event.target.value)}
                  onClear={() => {
                    setSearchText('');
                    update({ search: null });
                  }}
                  clearLabel="Clear the search"
                  placeholder="Search tickets"
                >
                  Search tickets
                </Searchbar>
              </form>
            </Box>
            {filterSelect('ticketStatus', 'Status', TICKET_STATUSES.map((value) => [value, STATUS_LABELS[value]]))}
            {filterSelect('priority', 'Priority', PRIORITIES.map((value) => [value, PRIORITY_LABELS[value]]))}
            {filterSelect('category', 'Category', CATEGORIES.map((value) => [value, CATEGORY_LABELS[value]]))}
            {filterSelect('assignee', 'Assignee', agents.map((agent) => [String(agent.id), agentLabel(agent, agent.isMe)]))}
          </Flex>
        </Box>

        {report && (
          <Box marginBottom={4}>
            <Alert
              variant={failures.length === 0 ? 'success' : succeeded === 0 ? 'danger' : 'warning'}
              title={`${report.action}: ${succeeded} of ${report.results.length} changed`}
              closeLabel="Close"
              onClose={() => setReport(null)}
            >
              {failures.length > 0 && (
                <Box tag="ul" data-testid="bulk-failures">
                  {failures.map((failure) => (
                    <li key={failure.documentId || 'request'}>
                      {failure.ticketNumber ? `${failure.ticketNumber}: ` : ''}
                      {failure.error}
                    </li>
                  ))}
                </Box>
              )}
            </Alert>
          </Box>
        )}

        {selected.size > 0 && (
          <BulkBar
            count={selected.size}
            agents={agents}
            busy={busy}
            onAssign={(agent) => runBulk({ action: 'assign', agent }, 'Assign')}
            onStatus={(ticketStatus) => confirmBulk({ action: 'status', ticketStatus }, `Set status to ${STATUS_LABELS[ticketStatus as keyof typeof STATUS_LABELS] ?? ticketStatus}`)}
            macros={macros}
            onMacro={(macro) => confirmBulk({ action: 'macro', macro: macro.id }, `Apply macro "${macro.title}"`)}
            onClear={() => setSelected(new Set())}
          />
        )}
        {pendingBulk && (
          <Dialog.Root open onOpenChange={(open) => !open && setPendingBulk(null)}>
            <Dialog.Content>
              <Dialog.Header>{`Mail ${pendingBulk.preview.customerMails === 1 ? '1 customer' : `${pendingBulk.preview.customerMails} customers`}?`}</Dialog.Header>
              <Dialog.Body>
                {`${pendingBulk.action} on ${pendingBulk.preview.tickets === 1 ? '1 ticket' : `${pendingBulk.preview.tickets} tickets`}: ${
                  pendingBulk.preview.customerMails === 1 ? '1 requester is' : `${pendingBulk.preview.customerMails} requesters are`
                } mailed about it.`}
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.Cancel>
                  <Button variant="tertiary" fullWidth>
                    Cancel
                  </Button>
                </Dialog.Cancel>
                <Button
                  fullWidth
                  onClick={() => {
                    const { body, action } = pendingBulk;
                    setPendingBulk(null);
                    void runBulk(body, action);
                  }}
                >
                  {`Apply and send ${pendingBulk.preview.customerMails === 1 ? '1 mail' : `${pendingBulk.preview.customerMails} mails`}`}
                </Button>
              </Dialog.Footer>
            </Dialog.Content>
          </Dialog.Root>
        )}

        {error && (
          <Box marginBottom={4}>
            <Alert variant="danger" title="The inbox could not be loaded" closeLabel="Close" onClose={() => setError(null)}>
              {error}
            </Alert>
          </Box>
        )}

        {noAgentAccount && (
          <Box marginBottom={4} padding={3} background="neutral100" hasRadius>
            <Typography textColor="neutral700">
              You have no agent account, so no ticket is yours: tickets are assigned to agent accounts, and yours would share your
              admin email address.
            </Typography>
          </Box>
        )}

        {answer === null && loading ? (
          <Flex justifyContent="center" padding={8}>
            <Loader>Loading tickets</Loader>
          </Flex>
        ) : rows.length === 0 ? (
          <EmptyStateLayout content={search || FILTERS.some((name) => params.get(name)) ? 'No ticket matches.' : 'Nothing here.'} />
        ) : (
          <Box aria-busy={loading}>
            <InboxTable
              rows={rows}
              marks={marks}
              cursor={cursor}
              sort={sort}
              onSort={onSort}
              selected={selected}
              onSelect={(documentId, on) =>
                setSelected((current) => {
                  const next = new Set(current);
                  if (on) next.add(documentId);
                  else next.delete(documentId);
                  return next;
                })
              }
              onSelectAll={(on) => setSelected(on ? new Set(rows.map((row) => row.documentId)) : new Set())}
            />
          </Box>
        )}

        {pagination && pagination.pageCount > 1 && (
          <Flex justifyContent="space-between" alignItems="center" paddingTop={4}>
            <Typography textColor="neutral600" data-testid="page-status">
              Page {pagination.page} of {pagination.pageCount}
            </Typography>
            <Flex gap={2}>
              <Button variant="tertiary" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                Previous page
              </Button>
              <Button variant="tertiary" disabled={page >= pagination.pageCount} onClick={() => update({ page: String(page + 1) })}>
                Next page
              </Button>
            </Flex>
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
