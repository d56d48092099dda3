import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getFetchClient, useFetchClient } from '@strapi/strapi/admin';
import type { ReplyDraftView } from '../../../shared/contract';

export type DraftText = Pick<ReplyDraftView, 'body' | 'isInternal'>;
export type DraftState = 'idle' | 'saving' | 'saved' | 'failed';

/** How long the text must rest before it is saved. */
const SAVE_AFTER_MS = 800;

/**
 * The admin's reply draft on one ticket, kept on the server (survives navigation and reloads,
 * visible to this admin only): `initial` is undefined while loading, null when there is none;
 * `change` saves after a pause (an empty text removes the draft); saves go out one after another,
 * so an older text never lands after a newer one; leaving the page saves what is pending.
 */
export function useReplyDraft(ticket: string): { initial: DraftText | null | undefined; state: DraftState; change: (text: DraftText, now?: boolean) => void } {
  const { get } = useFetchClient();
  // saves outlive the page (useFetchClient cancels its requests when the page goes)
  const { put } = useMemo(() => getFetchClient(), []);
  const [initial, setInitial] = useState<DraftText | null | undefined>(undefined);
  const [state, setState] = useState<DraftState>('idle');
  const pending = useRef<DraftText | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const url = `/helpdesk-admin/tickets/${ticket}/draft`;

  useEffect(() => {
    let current = true;
    setInitial(undefined);
    get<{ data: ReplyDraftView | null }>(url)
      .then((response) => {
        if (!current) return;
        setInitial(response.data.data);
        setState(response.data.data ? 'saved' : 'idle');
      })
      .catch(() => current && setInitial(null));
    return () => {
      current = false;
    };
  }, [get, url]);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const text = pending.current;
    pending.current = null;
    if (!text) return;
    setState('saving');
    chain.current = chain.current.then(() =>
      put(url, text).then(
        () => setState(pending.current ? 'saving' : 'saved'),
        () => setState('failed')
      )
    );
  }, [put, url]);

  const change = useCallback(
    (text: DraftText, now = false) => {
      pending.current = text;
      if (timer.current) clearTimeout(timer.current);
      if (now) flush();
      else timer.current = setTimeout(flush, SAVE_AFTER_MS);
    },
    [flush]
  );

  // leaving the ticket (another page, another ticket): what was typed last is saved
  useEffect(() => () => flush(), [flush]);
  // closing the tab or reloading with keystrokes not saved yet: the browser asks first
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (!pending.current) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  return { initial, state, change };
}
