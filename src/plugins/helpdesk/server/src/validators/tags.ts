import { z } from '@strapi/utils';
import { normalizeTags } from '../../../shared/tags';

/** A body's `tags` under the one tag rule (domain/tags.ts): a 400 naming `tags`, or the tidied list. */
export const tagsField = z.unknown().transform((value, context) => {
  const checked = normalizeTags(value);
  if (checked.ok) return checked.tags;
  context.addIssue({ code: 'custom', message: checked.error });
  return z.NEVER;
});
