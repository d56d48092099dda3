/**
 * The guest limiter counts in fixed windows (aligned to multiples of the window's length): a check
 * whose hits fall on both sides of a window's end sees the count start again. Waits, when that end
 * is less than `marginMs` away, until it has passed (and says so: the hits before are in the old window).
 */
export async function awayFromWindowEnd(windowMs: number, marginMs: number): Promise<{ waited: boolean }> {
  const untilEnd = windowMs - (Date.now() % windowMs);
  if (untilEnd >= marginMs) return { waited: false };
  await new Promise((resolve) => setTimeout(resolve, untilEnd + 1_000));
  return { waited: true };
}
