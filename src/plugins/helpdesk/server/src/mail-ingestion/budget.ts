/**
 * The per-mail processing budget: no single mail may hold the pipeline (a crafted From that sends
 * a validator into catastrophic backtracking took minutes, and again on every retry of its batch).
 * A mail over the budget is quarantined with this error as the reason, and never retried in a batch.
 */
export class MailBudgetExceeded extends Error {
  constructor(
    readonly stage: string,
    readonly elapsedMs: number,
    readonly budgetMs: number
  ) {
    super(`${stage} took ${elapsedMs} ms, over the per-mail budget of ${budgetMs} ms (INGEST_MAIL_BUDGET_SECONDS)`);
    this.name = 'MailBudgetExceeded';
  }
}

/**
 * Runs one stage of one mail that touches no transaction (parsing): it fails at the deadline when
 * it waits on something, and afterwards when it held the CPU itself past the budget (a timer cannot
 * interrupt synchronous work).
 */
export async function withinBudget<T>(stage: string, budgetMs: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const running = work();
  running.catch(() => undefined); // settles after the deadline: already reported
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MailBudgetExceeded(stage, Date.now() - started, budgetMs)), budgetMs);
  });
  try {
    const result = await Promise.race([running, deadline]);
    assertWithinBudget(stage, started, budgetMs);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Throws when the stage that began at `started` overran the budget. */
export function assertWithinBudget(stage: string, started: number, budgetMs: number): void {
  const elapsed = Date.now() - started;
  if (elapsed > budgetMs) throw new MailBudgetExceeded(stage, elapsed, budgetMs);
}
