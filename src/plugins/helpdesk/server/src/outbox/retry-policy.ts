export interface OutboxPolicy {
  /** false when no SMTP server is configured: mail stays queued. */
  deliveryEnabled: boolean;
  batchSize: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim holds before another run may take the row again (crash recovery). */
  claimTimeoutMs: number;
  /** At most this many automatic mails (Auto-Submitted: auto-replied) per recipient per window. */
  automaticCap: number;
  automaticCapWindowMs: number;
}

/** Exponential backoff: base, 2×base, 4×base … capped. */
export const nextAttemptDelay = (attempts: number, policy: OutboxPolicy): number =>
  Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempts - 1));

/** An SMTP 5xx answer is permanent (the server will not take this mail); anything else is worth a retry. */
export function isPermanentFailure(error: unknown): boolean {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}
