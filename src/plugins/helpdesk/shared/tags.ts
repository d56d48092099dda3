/**
 * A ticket's tags: a short list of distinct labels ("printer", "vip"). The one tag rule: the REST
 * and back-office validators and the ticket hook (Content Manager, server code) all apply it, and
 * the admin panel's tag inputs read its limits.
 *
 * Pure TypeScript, no imports: the admin bundle includes this file.
 */
export const MAX_TAGS = 30;
export const MAX_TAG_LENGTH = 50;

export type TagsCheck = { ok: true; tags: string[] | null } | { ok: false; error: string };

// one line of plain text: no control characters, nothing that could read as markup
const PLAIN_ONE_LINE = /^[^\u0000-\u001F\u007F<>]+$/;

/** Trims each tag and merges repeats (case-insensitive, the first spelling stays); null stays null. */
export function normalizeTags(value: unknown): TagsCheck {
  if (value === null || value === undefined) return { ok: true, tags: null };
  if (!Array.isArray(value)) return { ok: false, error: 'tags must be a list of words' };
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string') return { ok: false, error: 'each tag must be text' };
    const tag = item.trim();
    if (tag === '') return { ok: false, error: 'a tag cannot be empty' };
    if (tag.length > MAX_TAG_LENGTH) return { ok: false, error: `a tag has at most ${MAX_TAG_LENGTH} characters` };
    if (!PLAIN_ONE_LINE.test(tag)) return { ok: false, error: 'a tag is plain text on one line' };
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { ok: false, error: `a ticket has at most ${MAX_TAGS} tags` };
  return { ok: true, tags };
}
