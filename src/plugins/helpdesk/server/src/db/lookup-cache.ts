import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Read-mostly lookups (helpdesk settings, mail templates) shared by the work inside one scope: mail
 * ingestion opens one per batch, so a batch of 50 new tickets reads the settings and each template
 * once instead of two or three times per ticket. Outside a scope every lookup goes to the database,
 * as before; a change staff save while a batch runs applies from the next batch on.
 */
const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

export const withLookupCache = <T>(work: () => Promise<T>): Promise<T> => scope.run(new Map(), work);

/** `load()` once per scope and key; a failed load is not kept. */
export function cachedLookup<T>(key: string, load: () => Promise<T>): Promise<T> {
  const cache = scope.getStore();
  if (!cache) return load();
  const hit = cache.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
}
