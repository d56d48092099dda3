/**
 * The mail ingestion pipeline (Zammad's channel filters are the model): small stages, each with one
 * job, passing these values along. fetch → parse → classify → thread → apply → acknowledge.
 */

/** A message as the fetch stage read it from the mailbox. */
export interface FetchedMail {
  /** IMAP UID in `folder` (unique together with the folder's UIDVALIDITY). */
  uid: number;
  folder: string;
  uidValidity: string;
  /** The raw RFC 5322 message. */
  source: Buffer;
  /** IMAP flags at fetch time (\Seen when somebody read it in a mail client first). */
  flags: string[];
}

/** Where the requester's address came from: From itself, From's display name, Reply-To or Sender. */
export type FromSource = 'from' | 'from-name' | 'reply-to' | 'sender';

export interface Address {
  /** Lower-cased. */
  address: string;
  name: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Bytes of the decoded content. */
  size: number;
  content: Buffer;
  /** Inline parts (cid: images in the HTML) as opposed to attached files. */
  inline: boolean;
  contentId: string | null;
}

/** A message as the parse stage understood it: headers decoded, bodies in UTF-8. */
export interface ParsedMail {
  /** The Message-ID with angle brackets; made up from a content hash when the mail has none. */
  messageId: string;
  /** Whether messageId was made up (the mail had none). */
  messageIdGenerated: boolean;
  /** What makes it the same mail as another with its Message-ID (content-hash.ts). */
  contentHash: string;
  inReplyTo: string[];
  references: string[];
  /** The address to answer, best effort (from-address.ts); null: the mail has no reply address. */
  from: Address | null;
  /** Where `from` came from; null when there is none. */
  fromSource: FromSource | null;
  /** The From header as written (decoded, at most 300 characters), for the record and staff. */
  fromHeader: string;
  replyTo: Address | null;
  to: Address[];
  cc: Address[];
  subject: string;
  date: Date | null;
  /** Header names lower-cased; values as text (first occurrence), for the classify stage. */
  headers: Record<string, string>;
  /** Every Authentication-Results value, topmost first (the sender verification stage reads them in order). */
  authenticationResults: string[];
  /** The whole text: the text part, or text derived from the HTML part. */
  text: string;
  /** The new part of the text: quoted reply chain and signature stripped. */
  visibleText: string;
  /** The HTML part sanitised with an allow-list (html.ts: remote images kept unloaded, cid: images naming their part); null when there is none. */
  safeHtml: string | null;
  attachments: MailAttachment[];
}

/** What the classify stage decided about answering a mail. */
export interface Classification {
  /** Sent by a machine (auto-responder, list, bounce, ourselves): ingest, never auto-reply. */
  automatic: boolean;
  /** Why it counts as automatic, for the record and the dry-run output. */
  reasons: string[];
  /** A delivery failure report: the Message-ID of our mail that bounced, when it can be found. */
  bounceOf: string | null;
}

export type Outcome = 'ticket_created' | 'comment_added' | 'bounce_recorded' | 'ignored_duplicate' | 'quarantined' | 'too_large';

/** A message over INGEST_MAX_MESSAGE_BYTES as the fetch stage saw it: its size and header section, never its body. */
export interface OversizedMail {
  uid: number;
  folder: string;
  uidValidity: string;
  /** RFC822.SIZE as the server reports it. */
  size: number;
  /** Its header section (at most the first 64 KB of it). */
  header: Buffer;
  flags: string[];
}
