import { useState, type KeyboardEvent } from 'react';
import { Box, Button, Field, Flex, Tag, TextInput, Typography } from '@strapi/design-system';
import { Cross, Plus } from '@strapi/icons';
import { MAX_TAGS, MAX_TAG_LENGTH, normalizeTags } from '../../../shared/tags';

interface TagEditorProps {
  tags: string[];
  onChange: (tags: string[]) => void;
  disabled?: boolean;
  /** The input's accessible name: "New tag" in the ticket view, the field's label in the Content Manager. */
  inputLabel?: string;
}

/**
 * Tags as chips with a remove button each, and a field that adds one on Enter or Add. No <form>
 * of its own: the Content Manager's edit view is a form already, so Enter must not submit it.
 */
export const TagEditor = ({ tags, onChange, disabled = false, inputLabel = 'New tag' }: TagEditorProps) => {
  const [draft, setDraft] = useState('');
  const full = tags.length >= MAX_TAGS;

  const add = () => {
    const checked = normalizeTags([...tags, draft]);
    if (checked.ok && checked.tags && checked.tags.length !== tags.length) onChange(checked.tags);
    setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (draft.trim()) add();
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={2} wrap="wrap" aria-label="Tags">
        {tags.length === 0 && (
          <Typography variant="pi" textColor="neutral600">
            No tags
          </Typography>
        )}
        {tags.map((tag) => (
          <Tag key={tag} icon={<Cross aria-hidden />} label={`Remove tag ${tag}`} disabled={disabled} onClick={() => onChange(tags.filter((t) => t !== tag))}>
            {tag}
          </Tag>
        ))}
      </Flex>
      <Flex gap={2} alignItems="flex-end">
        <Box flex="1">
          <Field.Root name="newTag" hint={full ? `At most ${MAX_TAGS} tags` : undefined}>
            <Field.Label>{inputLabel}</Field.Label>
            <TextInput
              value={draft}
              maxLength={MAX_TAG_LENGTH}
              disabled={disabled || full}
              onKeyDown={onKeyDown}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => setDraft(event.target.value)}
            />
            <Field.Hint />
          </Field.Root>
        </Box>
        <Button type="button" variant="tertiary" startIcon={<Plus />} disabled={disabled || full || draft.trim() === ''} onClick={add}>
          Add
        </Button>
      </Flex>
    </Flex>
  );
};
