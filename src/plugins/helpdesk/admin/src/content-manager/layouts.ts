import { ENUM_VALUE_LABELS } from '../../../shared/contract';
import { HELPDESK_LAYOUT_MARK } from '../../../shared/uids';

/** The part of a Content Manager layout (list or edit) the helpdesk's hooks read. */
export interface HelpdeskLayoutPart {
  options?: Record<string, unknown>;
}

/**
 * The Content Manager's layout hooks run for every type; a layout's `options` merge its type's
 * plugin options, where each helpdesk type carries its mark: the hooks change the helpdesk's own
 * views only, never the host's.
 */
export const isHelpdeskLayout = (layout: HelpdeskLayoutPart | undefined): boolean => Boolean(layout?.options?.[HELPDESK_LAYOUT_MARK]);

/**
 * The words staff read for one of the helpdesk's enumeration values. They are looked up here, in
 * the helpdesk's views, and never registered as message ids: the Content Manager would otherwise
 * show them for any type's value of the same spelling.
 */
export const enumerationWord = (value: string): string => ENUM_VALUE_LABELS[value] ?? value;

/** A select's options for an enumeration, in the schema's order, labelled with the helpdesk's words. */
export const enumerationOptions = (values: readonly string[]) => values.map((value) => ({ value, label: enumerationWord(value) }));
