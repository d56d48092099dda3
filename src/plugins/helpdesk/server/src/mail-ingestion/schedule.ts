/**
 * A cron rule (seconds field first, as Strapi's croner takes it) that fires about every `seconds`:
 * exact below a minute and for whole minutes or hours dividing the next unit; otherwise rounded to
 * the nearest whole minute.
 */
export function cronRuleEvery(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds >= 1 ? Math.round(seconds) : 300;
  if (s < 60) return `*/${s} * * * * *`;
  const minutes = Math.max(1, Math.round(s / 60));
  if (minutes < 60) return `0 */${minutes} * * * *`;
  const hours = Math.max(1, Math.min(23, Math.round(minutes / 60)));
  return `0 0 */${hours} * * *`;
}
