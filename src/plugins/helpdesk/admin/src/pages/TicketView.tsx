import { useCallback, useEffect, useRef, useState } from 'react';
import { MacroMenu } from '../components/MacroMenu';
import { useMacros } from '../lib/macros';
import type { MacroView } from '../../../shared/contract';
import { NotificationBell } from '../components/NotificationBell';
import { NavLink, useNavigate, useParams } from 'react-router-dom';
import { Box, Flex, Grid, Link, Typography } from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { Layouts, Page, isFetchError, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { PriorityBadge, StatusBadge } from '../components/TicketBadges';
import { CATEGORY_LABELS, RECORD_ENUM_LABELS, STATUS_LABELS, labelOf } from '../lib/labels';
import { useAgents } from '../lib/agents';
import { markSeen, useLiveChanges, useTicketPresence } from '../lib/live';
import { useReplyDraft } from '../lib/drafts';
import { Colleagues } from './ticket/Colleagues';
import { Timeline } from './ticket/Timeline';
import { Composer, type ComposerHandle, type ReplyDraft } from './ticket/Composer';
import { TICKET_SHORTCUTS, neighbourInInbox, useShortcuts } from '../lib/shortcuts';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { SidePanel } from './ticket/SidePanel';
import type { FieldChanges, TicketViewData } from './ticket/types';
import { TICKET_VERSION_HEADER } from '../../../shared/contract';

/** The server's own message for a refused request (Strapi's error JSON), else the fetch error's. */
function messageOf(error: unknown): string {
  if (isFetchError(error)) return error.response?.data?.error?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

/** One ticket: the conversation, a reply composer and the side panel; every change through /helpdesk-admin. */
export const TicketView = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { get, post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [view, setView] = useState<TicketViewData | null>(null);
  // the assignee list; without it the picker offers the assignee and "me"
  const agents = useAgents() ?? null;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/helpdesk-admin/tickets/${documentId}`;

  const { colleagues, typing } = useTicketPresence(documentId);
  const draft = useReplyDraft(documentId);
  const navigate = useNavigate();
  const composer = useRef<ComposerHandle>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const macros = useMacros();

  // live: a change to this ticket from anywhere is fetched again (the composer keeps its text)
  const [fetchRound, setFetchRound] = useState(0);
  useLiveChanges((change) => {
    if (change === null || change.ticket === documentId) setFetchRound((n) => n + 1);
  });

  useEffect(() => {
    setView(null);
    setLoadError(null);
  }, [base]);

  useEffect(() => {
    let current = true;
    markSeen(documentId);
    get<{ data: TicketViewData }>(base)
      .then((response) => current && setView(response.data.data))
      .catch((error: unknown) => current && setLoadError(messageOf(error)));
    return () => {
      current = false;
    };
  }, [base, get, fetchRound, documentId]);

  /** Runs one change; the server answers the ticket view as it is now, which the page then shows. */
  const act = useCallback(
    async (success: string, request: () => Promise<{ data: { data: TicketViewData } }>): Promise<boolean> => {
      setBusy(true);
      try {
        const response = await request();
        setView(response.data.data);
        toggleNotification({ type: 'success', message: success });
        return true;
      } catch (error) {
        toggleNotification({ type: 'danger', message: messageOf(error) });
        // changed meanwhile (409): show the ticket as it is now; the composer keeps its text
        if (isFetchError(error) && (error.status ?? error.response?.data?.error?.status) === 409) setFetchRound((n) => n + 1);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [toggleNotification]
  );

  /** Every change says which version of the ticket it was made on: a change since is refused (409). */
  const basedOn = { headers: { [TICKET_VERSION_HEADER]: view?.version ?? '' } };

  const sendReply = (draft: ReplyDraft) => {
    const what = draft.isInternal ? 'Internal note added' : 'Reply sent';
    const success = draft.ticketStatus ? `${what}; status set to ${labelOf(STATUS_LABELS, draft.ticketStatus)}` : what;
    return act(success, () => {
      if (draft.files.length === 0) {
        return post(`${base}/replies`, { body: draft.body, isInternal: draft.isInternal, ...(draft.ticketStatus ? { ticketStatus: draft.ticketStatus } : {}) }, basedOn);
      }
      const form = new FormData();
      form.append('body', draft.body);
      form.append('isInternal', String(draft.isInternal));
      if (draft.ticketStatus) form.append('ticketStatus', draft.ticketStatus);
      for (const file of draft.files) form.append('files', file, file.name);
      return post(`${base}/replies`, form, basedOn);
    });
  };
  const setStatus = (ticketStatus: string) =>
    act(`Status set to ${labelOf(STATUS_LABELS, ticketStatus)}`, () => post(`${base}/status`, { ticketStatus }, basedOn));
  const assign = (agent: number | 'me' | null) =>
    act(agent === null ? 'Ticket unassigned' : agent === 'me' ? 'Ticket assigned to you' : 'Ticket assigned', () => post(`${base}/assign`, { agent }, basedOn));
  const applyMacro = (macro: MacroView) =>
    act(`Macro "${macro.title}" applied`, () => post(`${base}/macros/${macro.id}`, {}, basedOn));
  const saveFields = (changes: FieldChanges) => act('Ticket updated', () => put(base, changes, basedOn));

  const go = (step: 1 | -1) => {
    const next = neighbourInInbox(documentId, step);
    if (next) navigate(`/helpdesk/tickets/${next}`);
    else toggleNotification({ type: 'info', message: step === 1 ? 'This is the last ticket of the inbox list' : 'This is the first ticket of the inbox list' });
  };
  useShortcuts({
    r: () => composer.current?.write('public'),
    n: () => composer.current?.write('internal'),
    a: () => void assign('me'),
    s: () => {
      // the Status select opens as from the keyboard (it opens on a key, not on a click)
      const status = document.querySelector<HTMLElement>('#ticketStatus, [id="ticketStatus"] [role="combobox"], [aria-labelledby^="ticketStatus"][role="combobox"]');
      status?.focus();
      status?.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, button: 0, pointerType: 'mouse' }));
    },
    j: () => go(1),
    k: () => go(-1),
    i: () => navigate('/helpdesk'),
    '?': () => setShowShortcuts(true),
  });

  const back = (
    <Link tag={NavLink} to="/helpdesk" startIcon={<ArrowLeft />}>
      Inbox
    </Link>
  );
  if (loadError) {
    return (
      <Page.Main>
        <Page.Title>Ticket</Page.Title>
        <Layouts.Header navigationAction={back} title="Ticket not available" subtitle={loadError} />
      </Page.Main>
    );
  }
  if (!view || draft.initial === undefined) return <Page.Loading />;

  const { ticket } = view;
  return (
    <Page.Main>
      <Page.Title>{`${ticket.number} ${ticket.subject}`}</Page.Title>
      <Layouts.Header
        navigationAction={back}
        primaryAction={<NotificationBell ticket={ticket.documentId} />}
        title={ticket.subject}
        subtitle={
          <Flex gap={2} paddingTop={1} wrap="wrap">
            <Typography variant="omega" fontWeight="bold" textColor="neutral700">
              {ticket.number}
            </Typography>
            <StatusBadge value={ticket.status} />
            <PriorityBadge value={ticket.priority} />
            <Typography variant="pi" textColor="neutral600">
              {labelOf(CATEGORY_LABELS, ticket.category)} · via {labelOf(RECORD_ENUM_LABELS, ticket.source)}
            </Typography>
            {ticket.overdue && (
              <Typography variant="pi" fontWeight="bold" textColor="danger600">
                Overdue
              </Typography>
            )}
          </Flex>
        }
      />
      <ShortcutsDialog open={showShortcuts} onClose={() => setShowShortcuts(false)} shortcuts={TICKET_SHORTCUTS} />
      <Layouts.Content>
        <Grid.Root gap={6}>
          <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
            <Flex direction="column" alignItems="stretch" gap={6}>
              <Timeline items={view.timeline} />
              <Colleagues colleagues={colleagues} />
              <Composer
                ref={composer}
                key={documentId}
                ticket={documentId}
                macros={<MacroMenu macros={macros} disabled={busy} onApply={(macro) => void applyMacro(macro)} />}
                nextStatuses={ticket.nextStatuses}
                cc={ticket.ccAddresses}
                onSend={sendReply}
                onTyping={typing}
                initial={draft.initial}
                onDraft={draft.change}
                draftState={draft.state}
              />
            </Flex>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Box width="100%">
              <SidePanel view={view} agents={agents} busy={busy} onStatus={setStatus} onAssign={assign} onFields={saveFields} />
            </Box>
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
    </Page.Main>
  );
};
