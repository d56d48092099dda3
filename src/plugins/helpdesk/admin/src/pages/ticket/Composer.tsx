import { forwardRef, useImperativeHandle, useRef, useState, type ChangeEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useBlocker } from 'react-router-dom';
import { Box, Button, Dialog, Field, Flex, MenuItem, SimpleMenu, Tabs, Tag, Textarea, Typography } from '@strapi/design-system';
import { Cross, Message, Paperclip, WarningCircle } from '@strapi/icons';
import type { DraftState, DraftText } from '../../lib/drafts';
import { STATUS_LABELS, labelOf } from '../../lib/labels';
import { formatBytes } from './format';
import { CannedReplyPicker } from './CannedReplyPicker';

export interface ReplyDraft {
  body: string;
  isInternal: boolean;
  files: File[];
  ticketStatus?: string;
}

interface ComposerProps {
  /** The ticket's documentId: canned replies are filled in for it. */
  ticket: string;
  /** The "Apply macro" menu, beside the canned replies (a macro acts on the ticket at once). */
  macros?: ReactNode;
  /** Statuses "Send and set status" offers (where the ticket may go from here). */
  nextStatuses: string[];
  /** The ticket's Cc list: a public reply copies it. */
  cc: string[];
  /** Sends the draft; resolves true when the server stored it (the composer then empties). */
  onSend: (draft: ReplyDraft) => Promise<boolean>;
  /** Called as the text changes: colleagues on the ticket see that a reply is being written. */
  onTyping?: () => void;
  /** The draft this admin left on the ticket, to go on with. */
  initial?: DraftText | null;
  /** The text as it changes (`now`: save at once, as after sending), for the server-side draft. */
  onDraft?: (text: DraftText, now?: boolean) => void;
  draftState?: DraftState;
}

/** What the ticket view's shortcuts do to the composer. */
export interface ComposerHandle {
  write(kind: 'public' | 'internal'): void;
}

const DRAFT_STATE_WORDS: Record<DraftState, string> = { idle: '', saving: 'Saving draft…', saved: 'Draft saved', failed: 'Draft not saved' };

/** The reply composer: a public reply (mailed to the requester) or an internal note, with files. */
export const Composer = forwardRef<ComposerHandle, ComposerProps>(function Composer({ ticket, macros, nextStatuses, cc, onSend, onTyping, initial, onDraft, draftState = 'idle' }, ref) {
  const [body, setBody] = useState(initial?.body ?? '');
  const [isInternal, setInternal] = useState(initial?.isInternal ?? false);
  // leaving the ticket with unsent text asks first (the text stays as a draft either way)
  const blocker = useBlocker(({ currentLocation, nextLocation }) => body.trim() !== '' && currentLocation.pathname !== nextLocation.pathname);
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [picking, setPicking] = useState(false);
  useImperativeHandle(ref, () => ({
    write(kind) {
      setInternal(kind === 'internal');
      textarea.current?.focus();
    },
  }));

  const send = async (ticketStatus?: string) => {
    setSending(true);
    try {
      if (await onSend({ body, isInternal, files, ticketStatus })) {
        setBody('');
        setFiles([]);
        onDraft?.({ body: '', isInternal }, true);
      }
    } finally {
      setSending(false);
    }
  };

  const write = (text: string) => {
    setBody(text);
    onTyping?.();
    onDraft?.({ body: text, isInternal });
  };
  /** A canned reply goes where the cursor was (or replaces the selection). */
  const insert = (text: string) => {
    const start = textarea.current?.selectionStart ?? body.length;
    const end = textarea.current?.selectionEnd ?? body.length;
    write(`${body.slice(0, start)}${text}${body.slice(end)}`);
    setTimeout(() => textarea.current?.focus(), 0);
  };

  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    setFiles((current) => [...current, ...chosen]);
    event.target.value = '';
  };

  const empty = body.trim() === '';
  return (
    <Box
      tag="section"
      aria-label="Reply"
      background={isInternal ? 'warning100' : 'neutral0'}
      borderColor={isInternal ? 'warning200' : 'neutral200'}
      hasRadius
      shadow="tableShadow"
      padding={4}
    >
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between" alignItems="center" gap={4}>
          <Tabs.Root
            variant="simple"
            value={isInternal ? 'internal' : 'public'}
            onValueChange={(value) => {
              setInternal(value === 'internal');
              if (body !== '') onDraft?.({ body, isInternal: value === 'internal' });
            }}
          >
            <Tabs.List aria-label="Reply kind">
              <Tabs.Trigger value="public">Public reply</Tabs.Trigger>
              <Tabs.Trigger value="internal">Internal note</Tabs.Trigger>
            </Tabs.List>
          </Tabs.Root>
          <Typography variant="pi" textColor={isInternal ? 'warning700' : 'neutral600'}>
            {isInternal ? 'Only staff see internal notes; they are never mailed.' : `Mailed to the requester${cc.length > 0 ? ` with ${cc.join(', ')} on Cc` : ''}, in the ticket's thread.`}
          </Typography>
        </Flex>
        <Field.Root name="body">
          <Field.Label>{isInternal ? 'Note' : 'Reply'}</Field.Label>
          <Textarea
            placeholder={isInternal ? 'Only staff will see this' : 'Write to the requester'}
            value={body}
            onChange={(event: ChangeEvent<HTMLTextAreaElement>) => write(event.target.value)}
            rows={5}
            ref={textarea}
            onKeyDown={(event: KeyboardEvent<HTMLTextAreaElement>) => {
              // "/" in an empty composer opens the canned replies
              if (event.key === '/' && body === '' && !event.ctrlKey && !event.metaKey && !event.altKey) {
                event.preventDefault();
                setPicking(true);
                return;
              }
              // Ctrl+Enter (Cmd+Enter) sends, as "Send" does
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && body.trim() !== '' && !sending) {
                event.preventDefault();
                void send();
              }
            }}
          />
        </Field.Root>
        {files.length > 0 && (
          <Flex gap={2} wrap="wrap" aria-label="Files to send">
            {files.map((file, index) => (
              <Tag
                key={`${file.name}-${index}`}
                icon={<Cross aria-hidden />}
                label={`Remove ${file.name}`}
                onClick={() => setFiles((current) => current.filter((_, at) => at !== index))}
              >
                {`${file.name} (${formatBytes(file.size)})`}
              </Tag>
            ))}
          </Flex>
        )}
        <Flex justifyContent="space-between" gap={2} wrap="wrap">
          <Flex gap={2}>
            <input ref={picker} type="file" multiple hidden aria-label="Attach files" onChange={pick} data-testid="reply-files" />
            <Button variant="tertiary" startIcon={<Paperclip />} onClick={() => picker.current?.click()} disabled={sending}>
              Attach files
            </Button>
            <Button variant="tertiary" startIcon={<Message />} onClick={() => setPicking(true)} disabled={sending}>
              Canned reply
            </Button>
            {macros}
          </Flex>
          <Flex gap={2}>
            <Typography variant="pi" textColor={draftState === 'failed' ? 'danger600' : 'neutral500'} aria-live="polite" data-draft-state={draftState}>
              {DRAFT_STATE_WORDS[draftState]}
            </Typography>
            <SimpleMenu label="Send and set status" variant="secondary" disabled={empty || sending || nextStatuses.length === 0}>
              {nextStatuses.map((status) => (
                <MenuItem key={status} onSelect={() => send(status)}>
                  {`Send and set ${labelOf(STATUS_LABELS, status)}`}
                </MenuItem>
              ))}
            </SimpleMenu>
            <Button onClick={() => send()} loading={sending} disabled={empty}>
              Send
            </Button>
          </Flex>
        </Flex>
      </Flex>
      <CannedReplyPicker ticket={ticket} open={picking} onClose={() => setPicking(false)} onPick={insert} />
      {blocker.state === 'blocked' && (
        <Dialog.Root open onOpenChange={(open) => !open && blocker.reset()}>
          <Dialog.Content>
            <Dialog.Header>Leave this ticket?</Dialog.Header>
            <Dialog.Body icon={<WarningCircle width="24px" height="24px" fill="danger600" />}>
              Your {isInternal ? 'note' : 'reply'} is not sent. It stays here as your draft, to finish later.
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button variant="tertiary" fullWidth>
                  Stay
                </Button>
              </Dialog.Cancel>
              <Button variant="danger-light" fullWidth onClick={() => blocker.proceed()}>
                Leave
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>
      )}
    </Box>
  );
});
