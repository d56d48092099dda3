import type { ReactNode } from 'react';
import { InputRenderer } from '@strapi/strapi/admin';
import { enumerationOptions, isHelpdeskLayout, type HelpdeskLayoutPart } from './layouts';

/** The Content Manager's hook over the edit view's layout (its HOOKS.MUTATE_EDIT_VIEW_LAYOUT). */
export const MUTATE_EDIT_VIEW_LAYOUT = 'Admin/CM/pages/EditView/mutate-edit-view-layout';

/** The input type the edit view renders helpdesk enumerations with (registered with `app.addFields`). */
export const HELPDESK_ENUMERATION_INPUT = 'helpdesk-enumeration';

/** The part of an edit-view field used here. */
interface EditField {
  type: string;
  attribute: { type: string; enum?: string[] };
}

interface EditLayout extends HelpdeskLayoutPart {
  layout: EditField[][][];
}

/**
 * In the helpdesk's edit views, enumerations are drawn by the helpdesk's input, which labels each
 * value with its words; every other field, and every host type, keeps the Content Manager's own.
 */
export function helpdeskEditLayout<Layout extends EditLayout>({ layout, ...rest }: { layout: Layout }) {
  if (!isHelpdeskLayout(layout)) return { layout, ...rest };
  const panels = layout.layout.map((panel) =>
    panel.map((row) => row.map((field) => (field.attribute.type === 'enumeration' ? { ...field, type: HELPDESK_ENUMERATION_INPUT } : field)))
  );
  return { layout: { ...layout, layout: panels }, ...rest };
}

/** What the Content Manager hands an input added with `addFields` (its field props). */
interface EnumerationInputProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  labelAction?: ReactNode;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  attribute: { enum?: string[] };
}

/**
 * Strapi's own enumeration select, given labelled options (without labels it looks each value up as
 * a global message id). It reads and writes the form itself, by `name`.
 */
export const HelpdeskEnumerationInput = ({ name, label, hint, labelAction, placeholder, required, disabled, attribute }: EnumerationInputProps) => (
    <InputRenderer
      type="enumeration"
      name={name}
      label={label}
      hint={hint}
      labelAction={labelAction}
      placeholder={placeholder}
      required={required}
      disabled={disabled}
      options={enumerationOptions(attribute.enum ?? [])}
    />
);
