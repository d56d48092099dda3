import { useMemo, useState } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { Paperclip } from '@strapi/icons';
import type { MessageKind, TimelineAttachment, TimelineItem } from './types';
import { formatBytes, formatMoment } from './format';
import { mailDocument } from './mail-html';
import { MailBody } from './MailBody';

/** How each kind of message looks: who it is from is readable at a glance, internal notes stand apart. */
const KIND_STYLE: Record<MessageKind, { label: string; background: string; borderColor: string; marginLeft: number; marginRight: number }> = {
  opening: { label: 'Customer message', background: 'neutral0', borderColor: 'neutral200', marginLeft: 0, marginRight: 10 },
  customer: { label: 'Customer message', background: 'neutral0', borderColor: 'neutral200', marginLeft: 0, marginRight: 10 },
  public_reply: { label: 'Public reply', background: 'primary100', borderColor: 'primary200', marginLeft: 10, marginRight: 0 },
  internal_note: { label: 'Internal note', background: 'warning100', borderColor: 'warning200', marginLeft: 10, marginRight: 0 },
};

const AttachmentLink = ({ file }: { file: TimelineAttachment }) => (
  <Flex gap={2} alignItems="center" data-attachment={file.name}>
    <Paperclip width="1.2rem" height="1.2rem" aria-hidden />
    {file.url ? (
      <a href={file.url} download={file.name} target="_blank" rel="noopener noreferrer">
        <Typography variant="pi" textColor="primary600">
          {file.name}
        </Typography>
      </a>
    ) : (
      <Typography variant="pi">{file.name}</Typography>
    )}
    <Typography variant="pi" textColor="neutral600">
      {[formatBytes(file.size), file.mime].filter(Boolean).join(', ')}
    </Typography>
  </Flex>
);

const isImage = (file: TimelineAttachment): boolean => Boolean(file.url && file.mime?.startsWith('image/'));

/** An image file as a preview that opens the file; the name below it. */
const ImagePreview = ({ file }: { file: TimelineAttachment }) => (
  <Flex tag="figure" direction="column" alignItems="flex-start" gap={1} margin={0} data-attachment={file.name} data-preview>
    <a href={file.url ?? undefined} target="_blank" rel="noopener noreferrer" aria-label={`Open ${file.name}`}>
      {/* one frame size for every preview, the image fitted inside it */}
      <Box borderColor="neutral200" hasRadius padding={1} background="neutral100" width="16rem" height="10rem">
        <img src={file.url ?? undefined} alt={file.name} style={{ display: 'block', width: '100%', height: '100%', objectFit: 'contain' }} />
      </Box>
    </a>
    <Typography tag="figcaption" variant="pi" textColor="neutral600">
      {[file.name, formatBytes(file.size)].filter(Boolean).join(', ')}
    </Typography>
  </Flex>
);

/** The message's files: images as previews, the others as links; none that the mail shows in its text. */
const MessageFiles = ({ files }: { files: TimelineAttachment[] }) => {
  if (files.length === 0) return null;
  const images = files.filter(isImage);
  const others = files.filter((file) => !isImage(file));
  return (
    <Flex direction="column" alignItems="flex-start" gap={2} paddingTop={3} aria-label="Files">
      {images.length > 0 && (
        <Flex gap={3} wrap="wrap" alignItems="flex-end">
          {images.map((file) => (
            <ImagePreview key={file.id} file={file} />
          ))}
        </Flex>
      )}
      {others.map((file) => (
        <AttachmentLink key={file.id} file={file} />
      ))}
    </Flex>
  );
};

const Message = ({ item }: { item: Extract<TimelineItem, { type: 'message' }> }) => {
  const style = KIND_STYLE[item.kind];
  const [imagesShown, setImagesShown] = useState(false);
  const mail = useMemo(
    () => (item.html === null ? null : { ...mailDocument(item.html, item.attachments, imagesShown, getComputedStyle(document.body).fontFamily), imagesShown }),
    [item.html, item.attachments, imagesShown]
  );
  const listed = mail ? item.attachments.filter((file) => !mail.shownInline.has(file.id)) : item.attachments;
  return (
    <Box
      tag="article"
      data-kind={item.kind}
      aria-label={`${style.label} from ${item.author}`}
      background={style.background}
      borderColor={style.borderColor}
      hasRadius
      shadow="tableShadow"
      padding={4}
      marginLeft={style.marginLeft}
      marginRight={style.marginRight}
    >
      <Flex justifyContent="space-between" gap={4} paddingBottom={2}>
        <Flex gap={2}>
          <Typography fontWeight="bold">{item.author}</Typography>
          <Typography variant="sigma" textColor={item.kind === 'internal_note' ? 'warning700' : 'neutral600'}>
            {style.label}
          </Typography>
        </Flex>
        <Typography variant="pi" textColor="neutral600">
          <time dateTime={item.at}>{formatMoment(item.at)}</time>
        </Typography>
      </Flex>
      {mail ? (
        <MailBody title={`${style.label} from ${item.author}`} mail={mail} onShowImages={() => setImagesShown(true)} />
      ) : (
        <Typography tag="p" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {item.body}
        </Typography>
      )}
      <MessageFiles files={listed} />
    </Box>
  );
};

/** A history line: small and grey, between the messages. */
const EventLine = ({ text, at, note }: { text: string; at: string; note: string | null }) => (
  <Flex tag="li" data-history gap={2} justifyContent="center" paddingTop={1} paddingBottom={1}>
    <Typography variant="pi" textColor="neutral600">
      {text}
      {note ? ` (“${note}”)` : ''} · <time dateTime={at}>{formatMoment(at)}</time>
    </Typography>
  </Flex>
);

/** The conversation: messages, files added to the ticket itself, and history in words, in time order. */
export const Timeline = ({ items }: { items: TimelineItem[] }) => (
  <Flex tag="ol" direction="column" alignItems="stretch" gap={3} aria-label="Conversation" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
    {items.map((item) => {
      if (item.type === 'event') return <EventLine key={item.id} text={item.text} at={item.at} note={item.note} />;
      if (item.type === 'attachment') {
        return (
          <Flex tag="li" key={item.id} direction="column" alignItems="center" gap={1}>
            <Typography variant="pi" textColor="neutral600">
              {item.author} attached a file · <time dateTime={item.at}>{formatMoment(item.at)}</time>
            </Typography>
            <AttachmentLink file={item.attachment} />
          </Flex>
        );
      }
      return (
        <li key={item.id}>
          <Message item={item} />
        </li>
      );
    })}
  </Flex>
);
