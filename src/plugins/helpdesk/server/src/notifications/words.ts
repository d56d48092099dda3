/** A comment's first words for a notification: one line, at most `max` characters. */
export function snippet(body: string, max = 140): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}\u2026` : line;
}
