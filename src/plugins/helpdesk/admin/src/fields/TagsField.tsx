import { forwardRef, type ReactNode } from 'react';
import { Field, Flex } from '@strapi/design-system';
import { TagEditor } from '../components/TagEditor';

/** What the Content Manager hands a custom field's input (its props and its useField state). */
interface TagsFieldProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  value?: unknown;
  onChange: (name: string, value: string[]) => void;
}

const asTags = (value: unknown): string[] => (Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : []);

/** The ticket's tags in the Content Manager's edit view: chips instead of a JSON editor. */
const TagsField = forwardRef<HTMLDivElement, TagsFieldProps>(({ name, label, hint, error, required, disabled, value, onChange }, ref) => (
  <Field.Root name={name} hint={hint} error={error} required={required}>
    <Flex ref={ref} direction="column" alignItems="stretch" gap={1}>
      <Field.Label>{label}</Field.Label>
      <TagEditor tags={asTags(value)} disabled={disabled} inputLabel="New tag" onChange={(tags) => onChange(name, tags)} />
      <Field.Hint />
      <Field.Error />
    </Flex>
  </Field.Root>
));

export default TagsField;
