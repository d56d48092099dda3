import type { LiveChange, LivePresence } from '../../src/plugins/helpdesk/shared/contract';
import { sseParser } from '../../src/plugins/helpdesk/shared/sse';

export interface LiveStream {
  /** The HTTP status the feed answered with. */
  status: number;
  /** Every change received so far, in order. */
  changes: LiveChange[];
  /** Every presence received so far, in order. */
  presences: LivePresence[];
  /** Resolves with the first change (received before or after the call) that `matches`; rejects after `timeoutMs`. */
  next(matches: (change: LiveChange) => boolean, timeoutMs?: number): Promise<LiveChange>;
  close(): void;
}

/**
 * The live feed as the admin panel reads it: GET /helpdesk-admin/live with the admin's token,
 * server-sent events parsed from the response body. Resolves once the feed said `ready`.
 */
export async function openLiveStream(baseUrl: string, token: string | null): Promise<LiveStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/helpdesk-admin/live`, {
    headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    signal: controller.signal,
  });
  const changes: LiveChange[] = [];
  const presences: LivePresence[] = [];
  const waiters = new Set<() => void>();
  const stream: LiveStream = {
    status: response.status,
    changes,
    presences,
    next(matches, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = changes.find(matches);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching change within ${timeoutMs} ms; received ${JSON.stringify(changes)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => controller.abort(),
  };
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return stream;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parse = sseParser();
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const { event, data } of parse(value)) {
          if (event === 'ready') onReady();
          if (event === 'change' && data) {
            changes.push(JSON.parse(data) as LiveChange);
            for (const check of [...waiters]) check();
          }
          if (event === 'presence' && data) presences.push(JSON.parse(data) as LivePresence);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  await ready;
  return stream;
}
