import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getFetchClient, useAuth } from '@strapi/strapi/admin';
import { LIVE_PATH, PRESENCE_HEARTBEAT_MS, type LiveChange, type LivePresence } from '../../../shared/contract';
import { sseParser } from '../../../shared/sse';

/**
 * What a live view is told: a change committed somewhere (REST, the panel, mail, another instance),
 * or `null`: "fetch again", after the feed reconnected or, while it is down, every POLL_MS.
 */
type Listener = (change: LiveChange | null) => void;

const POLL_MS = 10_000;
const MAX_RETRY_MS = 30_000;

const listeners = new Set<Listener>();
const presenceListeners = new Set<(presence: LivePresence) => void>();
let token: string | null = null;
let connection: AbortController | null = null;
let poll: ReturnType<typeof setInterval> | null = null;

const backendUrl = (): string => (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';
const tell = (change: LiveChange | null) => listeners.forEach((listener) => listener(change));

function startPolling() {
  poll ??= setInterval(() => tell(null), POLL_MS);
}

function stopPolling() {
  if (poll) clearInterval(poll);
  poll = null;
}

/** Reads one server-sent event stream until it ends; resolves then, rejects on a refusal. */
async function readFeed(signal: AbortSignal): Promise<void> {
  const response = await fetch(`${backendUrl()}${LIVE_PATH}`, {
    headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`the live feed answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parse = sseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    for (const { event, data } of parse(value)) {
      if (event === 'ready') {
        // connected (again): whatever happened while it was down is fetched once
        stopPolling();
        tell(null);
      } else if (event === 'change' && data) {
        tell(JSON.parse(data) as LiveChange);
      } else if (event === 'presence' && data) {
        const presence = JSON.parse(data) as LivePresence;
        presenceListeners.forEach((listener) => listener(presence));
      }
    }
  }
}

/** One connection for the whole panel while any view listens; polls while it is down, retries with backoff. */
async function connect(signal: AbortSignal) {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    try {
      await readFeed(signal);
      attempt = 0;
    } catch {
      // refused, or the server went away
    }
    if (signal.aborted) return;
    startPolling();
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RETRY_MS, 1000 * 2 ** attempt)));
  }
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!connection) {
    connection = new AbortController();
    void connect(connection.signal);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    connection?.abort();
    connection = null;
    stopPolling();
  };
}

/**
 * Calls `onChange` for every change committed anywhere (a ticket and what hangs on it), and with
 * `null` when the view should fetch again (reconnected, or polling while the feed is down).
 */
export function useLiveChanges(onChange: Listener): void {
  token = useAuth('HelpdeskLive', (auth) => auth.token);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => subscribe((change) => latest.current(change)), []);
}

/**
 * Changes the admin has not looked at yet, by ticket (kept in this browser): the inbox marks their
 * rows until the ticket is opened.
 */
const UNSEEN_KEY = 'helpdesk.unseen';
export type UnseenMark = 'new' | 'updated';

export function unseenMarks(): Record<string, UnseenMark> {
  try {
    return JSON.parse(localStorage.getItem(UNSEEN_KEY) ?? '{}') as Record<string, UnseenMark>;
  } catch {
    return {};
  }
}

export function markUnseen(change: LiveChange): Record<string, UnseenMark> {
  const marks = unseenMarks();
  if (change.kind === 'deleted') delete marks[change.ticket];
  else marks[change.ticket] = marks[change.ticket] === 'new' || change.kind === 'created' ? 'new' : 'updated';
  localStorage.setItem(UNSEEN_KEY, JSON.stringify(marks));
  return marks;
}

export function markSeen(ticket: string): void {
  const marks = unseenMarks();
  if (!(ticket in marks)) return;
  delete marks[ticket];
  localStorage.setItem(UNSEEN_KEY, JSON.stringify(marks));
}

/** Someone else on this ticket, as last heard. */
export interface Colleague {
  id: number;
  name: string;
  typing: boolean;
  heardAt: number;
}

/** A presence not repeated within this long is gone (a closed tab says nothing). */
const PRESENCE_TTL_MS = PRESENCE_HEARTBEAT_MS * 2.5;
/** Typing counts as typing until the composer is quiet this long. */
const TYPING_QUIET_MS = 4_000;

/**
 * Presence on one ticket: says that this admin is here (and typing, when `typing()` was called in
 * the last seconds) every PRESENCE_HEARTBEAT_MS and when it changes, says "left" on the way out,
 * and lists the colleagues heard from lately. A newcomer is answered at once, so both see each other.
 */
export function useTicketPresence(ticket: string): { colleagues: Colleague[]; typing: () => void } {
  // not useFetchClient's: it cancels its requests when the page goes, and "left" is sent then
  const { post } = useMemo(() => getFetchClient(), []);
  const me = useAuth('HelpdeskPresence', (auth) => auth.user?.id);
  const [colleagues, setColleagues] = useState<Map<number, Colleague>>(new Map());
  const typingUntil = useRef(0);
  const lastSent = useRef<{ state: string; at: number }>({ state: '', at: 0 });
  const quiet = useRef<ReturnType<typeof setTimeout> | null>(null);

  const say = useCallback(
    (state: 'viewing' | 'typing' | 'left', force = false) => {
      const now = Date.now();
      if (!force && lastSent.current.state === state && now - lastSent.current.at < PRESENCE_HEARTBEAT_MS / 2) return;
      lastSent.current = { state, at: now };
      post(`/helpdesk-admin/tickets/${ticket}/presence`, { state }).catch(() => undefined);
    },
    [post, ticket]
  );
  const current = useCallback((): 'viewing' | 'typing' => (Date.now() < typingUntil.current ? 'typing' : 'viewing'), []);

  useEffect(() => {
    setColleagues(new Map());
    say('viewing', true);
    const beat = setInterval(() => say(current(), true), PRESENCE_HEARTBEAT_MS);
    const prune = setInterval(
      () => setColleagues((known) => new Map([...known].filter(([, colleague]) => Date.now() - colleague.heardAt < PRESENCE_TTL_MS))),
      PRESENCE_HEARTBEAT_MS / 2
    );
    const heard = new Set<number>();
    const listener = (presence: LivePresence) => {
      if (presence.ticket !== ticket || presence.admin.id === me) return;
      // a newcomer hears from us now, not at our next beat
      if (presence.state !== 'left' && !heard.has(presence.admin.id)) say(current(), true);
      if (presence.state === 'left') heard.delete(presence.admin.id);
      else heard.add(presence.admin.id);
      setColleagues((known) => {
        const next = new Map(known);
        if (presence.state === 'left') next.delete(presence.admin.id);
        else next.set(presence.admin.id, { ...presence.admin, typing: presence.state === 'typing', heardAt: Date.now() });
        return next;
      });
    };
    presenceListeners.add(listener);
    return () => {
      presenceListeners.delete(listener);
      clearInterval(beat);
      clearInterval(prune);
      if (quiet.current) clearTimeout(quiet.current);
      say('left', true);
    };
  }, [ticket, me, say, current]);

  const typing = useCallback(() => {
    typingUntil.current = Date.now() + TYPING_QUIET_MS;
    say('typing');
    if (quiet.current) clearTimeout(quiet.current);
    quiet.current = setTimeout(() => say('viewing', true), TYPING_QUIET_MS);
  }, [say]);

  return { colleagues: [...colleagues.values()].sort((a, b) => a.name.localeCompare(b.name)), typing };
}
