import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';

interface ChoiceFieldProps {
  name: string;
  label: string;
  value: string;
  /** [value, what staff read] */
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (value: string) => void;
  disabled?: boolean;
  hint?: string;
  error?: string;
}

/** A labelled single choice (priority, category, assignee): the Design System select with its field. */
export const ChoiceField = ({ name, label, value, options, onChange, disabled, hint, error }: ChoiceFieldProps) => (
  <Field.Root name={name} id={name} hint={hint} error={error}>
    <Field.Label>{label}</Field.Label>
    <SingleSelect value={value} onChange={(next) => onChange(String(next))} disabled={disabled}>
      {options.map(([optionValue, text]) => (
        <SingleSelectOption key={optionValue} value={optionValue}>
          {text}
        </SingleSelectOption>
      ))}
    </SingleSelect>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
