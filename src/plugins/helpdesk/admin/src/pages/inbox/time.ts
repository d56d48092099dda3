const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 d ago", or "in 4 h" for a time to come. */
export function relativeTime(value: string | null, now = Date.now()): string {
  if (!value) return '—';
  const diff = now - new Date(value).getTime();
  const abs = Math.abs(diff);
  const amount = abs < HOUR ? `${Math.max(1, Math.round(abs / MINUTE))} min` : abs < DAY ? `${Math.round(abs / HOUR)} h` : `${Math.round(abs / DAY)} d`;
  if (abs < MINUTE) return 'just now';
  return diff >= 0 ? `${amount} ago` : `in ${amount}`;
}

export const fullDate = (value: string | null): string => (value ? new Date(value).toLocaleString() : '');
