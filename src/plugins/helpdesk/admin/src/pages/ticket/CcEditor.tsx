import { useState, type KeyboardEvent } from 'react';
import { Box, Button, Field, Flex, Tag, TextInput, Typography } from '@strapi/design-system';
import { Cross, Plus } from '@strapi/icons';

interface CcEditorProps {
  addresses: string[];
  /** Saves the whole list; resolves true when the server took it (it checks every address). */
  onChange: (addresses: string[]) => Promise<boolean>;
  disabled?: boolean;
}

/**
 * The ticket's Cc list: an address per chip with a remove button, and a field that adds one on
 * Enter or Add. The server applies the Cc rule (valid addresses, none of ours, the cap) and answers
 * a refusal in words, which the page shows; the typed address then stays in the field to correct.
 */
export const CcEditor = ({ addresses, onChange, disabled = false }: CcEditorProps) => {
  const [draft, setDraft] = useState('');

  const add = async () => {
    const address = draft.trim().toLowerCase();
    if (!address) return;
    if (addresses.includes(address) || (await onChange([...addresses, address]))) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void add();
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={2} wrap="wrap" aria-label="Cc">
        {addresses.length === 0 && (
          <Typography variant="pi" textColor="neutral600">
            Nobody on Cc
          </Typography>
        )}
        {addresses.map((address) => (
          <Tag
            key={address}
            icon={<Cross aria-hidden />}
            label={`Remove ${address} from Cc`}
            disabled={disabled}
            onClick={() => void onChange(addresses.filter((other) => other !== address))}
          >
            {address}
          </Tag>
        ))}
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        Public replies and status mails go to the requester with these people on Cc.
      </Typography>
      <Flex gap={2} alignItems="flex-end">
        <Box flex="1">
          <Field.Root name="newCc">
            <Field.Label>Cc address</Field.Label>
            <TextInput
              type="email"
              placeholder="name@example.com"
              value={draft}
              disabled={disabled}
              onKeyDown={onKeyDown}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => setDraft(event.target.value)}
            />
          </Field.Root>
        </Box>
        <Button type="button" variant="tertiary" startIcon={<Plus />} aria-label="Add to Cc" disabled={disabled || draft.trim() === ''} onClick={() => void add()}>
          Add
        </Button>
      </Flex>
    </Flex>
  );
};
