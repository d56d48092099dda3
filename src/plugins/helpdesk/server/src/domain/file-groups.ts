/**
 * How many of one request's (or one mail's) files are checked and stored at once: their work is
 * mostly waiting on the disk and the upload provider, so a few overlap well; more would only queue
 * on the one database connection of the transaction.
 */
export const FILES_AT_ONCE = 4;

/** `work` on every item, FILES_AT_ONCE at a time, each result (or failure) in the items' order. */
export async function settledInGroups<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = [];
  for (let start = 0; start < items.length; start += FILES_AT_ONCE) {
    results.push(...(await Promise.allSettled(items.slice(start, start + FILES_AT_ONCE).map(work))));
  }
  return results;
}
