import { useEffect, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Dashboard } from '../../../shared/contract';

/** GET /helpdesk-admin/dashboard (src/back-office/dashboard/service.ts). */
export type { Dashboard };

type State = { status: 'loading' } | { status: 'error' } | { status: 'ready'; data: Dashboard };

type Get = ReturnType<typeof useFetchClient>['get'];

// The five widgets mount together: one request serves them all (kept for a few seconds).
const SHARE_MS = 5_000;
let shared: { at: number; promise: Promise<Dashboard> } | null = null;

function loadDashboard(get: Get): Promise<Dashboard> {
  if (shared && Date.now() - shared.at < SHARE_MS) return shared.promise;
  const promise = get<{ data: Dashboard }>('/helpdesk-admin/dashboard').then((response) => response.data.data);
  shared = { at: Date.now(), promise };
  promise.catch(() => {
    shared = null;
  });
  return promise;
}

/** The dashboard figures for the widgets, fetched once for all of them. */
export function useDashboard(): State {
  const { get } = useFetchClient();
  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    loadDashboard(get).then(
      (data) => live && setState({ status: 'ready', data }),
      () => live && setState({ status: 'error' })
    );
    return () => {
      live = false;
    };
  }, [get]);
  return state;
}
