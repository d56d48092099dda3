import { useEffect, useState, type KeyboardEvent } from 'react';
import { Box, Button, Flex, Modal, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import type { CannedReplyView } from '../../../../shared/contract';

const SEARCH_DELAY_MS = 200;

interface CannedReplyPickerProps {
  ticket: string;
  open: boolean;
  onClose: () => void;
  /** The chosen reply's text, filled in for this ticket. */
  onPick: (text: string) => void;
}

/**
 * The composer's canned replies (the "Canned reply" button, or "/" in an empty composer): a search
 * box over the shared ones and the agent's own, filled in for the ticket; arrows move, Enter
 * inserts. The server counts the use and writes it in the ticket's history.
 */
export function CannedReplyPicker({ ticket, open, onClose, onPick }: CannedReplyPickerProps) {
  const { get, post } = useFetchClient();
  const [query, setQuery] = useState('');
  const [replies, setReplies] = useState<CannedReplyView[] | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    if (!open) return;
    let current = true;
    const timer = setTimeout(() => {
      get<{ data: CannedReplyView[] }>(`/helpdesk-admin/tickets/${ticket}/canned-replies`, { params: query.trim() ? { q: query.trim() } : {} })
        .then((response) => {
          if (!current) return;
          setReplies(response.data.data);
          setActive(0);
        })
        .catch(() => current && setReplies([]));
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [open, query, ticket, get]);

  const close = () => {
    setQuery('');
    setReplies(null);
    onClose();
  };
  const pick = async (reply: CannedReplyView) => {
    const used = await post<{ data: CannedReplyView }>(`/helpdesk-admin/tickets/${ticket}/canned-replies/${reply.id}/use`, {}).catch(() => null);
    onPick(used?.data.data.body ?? reply.body);
    close();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = replies?.length ?? 0;
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setActive((at) => (at + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setActive((at) => (at - 1 + count) % count);
    } else if (event.key === 'Enter' && replies?.[active]) {
      event.preventDefault();
      void pick(replies[active]);
    }
  };

  return (
    <Modal.Root open={open} onOpenChange={(isOpen: boolean) => !isOpen && close()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>Insert a canned reply</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <TextInput
              aria-label="Search canned replies"
              placeholder="Search by title or text"
              value={query}
              autoFocus
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => setQuery(event.target.value)}
              onKeyDown={onKeyDown}
            />
            {replies !== null && replies.length === 0 && (
              <Typography textColor="neutral600">No canned reply matches. Staff add them in the Content Manager (Canned reply).</Typography>
            )}
            <Flex tag="ul" role="listbox" aria-label="Canned replies" direction="column" alignItems="stretch" gap={1}>
              {(replies ?? []).map((reply, index) => (
                <Box
                  tag="li"
                  role="option"
                  aria-selected={index === active}
                  key={reply.id}
                  padding={3}
                  hasRadius
                  background={index === active ? 'primary100' : 'neutral0'}
                  borderColor={index === active ? 'primary200' : 'neutral150'}
                  style={{ cursor: 'pointer' }}
                  onMouseEnter={() => setActive(index)}
                  onClick={() => void pick(reply)}
                >
                  <Typography fontWeight="bold">
                    {reply.title}
                    {reply.personal ? ' (mine)' : ''}
                  </Typography>
                  <Typography tag="p" variant="pi" textColor="neutral600" ellipsis>
                    {reply.body}
                  </Typography>
                </Box>
              ))}
            </Flex>
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={close}>
            Cancel
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
}
