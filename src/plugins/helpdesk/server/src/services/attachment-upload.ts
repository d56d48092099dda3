import type { Core } from '@strapi/strapi';
import { env, errors } from '@strapi/utils';
import { ATTACHMENT, COMMENT, TICKET } from '../../../shared/uids';
import { fieldValidationError } from '../validation/parse';
import { attachmentLimits, type AttachmentLimits } from '../domain/attachment-policy';
import { withFreshUploads, type FreshUpload } from '../domain/file-ownership';
import { settledInGroups } from '../domain/file-groups';
import { checkAttachmentFiles, type TicketAttachmentRequest } from '../validators/attachment-upload';
import type { MultipartFile } from '../domain/multipart-files';

/** What the route answers for each new attachment. */
export interface AttachmentRecord {
  id: number;
  documentId: string;
  filename: string | null;
  size: number | null;
  mimeType: string | null;
  url: string | null;
}

/** A media library row as the upload service returns it; enough to delete it again. */
interface StoredFile {
  id: number;
  name: string;
  mime: string;
  /** kilobytes */
  size: number;
  provider: string;
  url: string;
  [key: string]: unknown;
}

/** Files checked and stored in the upload provider, not attached to anything yet. */
export interface StoredUpload {
  files: StoredFile[];
  /** what the attachment records of each file, with its exact size (the media library keeps kilobytes) */
  fresh: Map<number, FreshUpload>;
}

interface UploadService {
  upload(input: { data: { fileInfo: { folder?: number } }; files: MultipartFile }): Promise<StoredFile[]>;
  remove(file: StoredFile): Promise<unknown>;
}

interface AttachmentRow {
  id: number;
  documentId: string;
  filename: string | null;
  size: string | number | null;
  mimeType: string | null;
  file: { url: string; provider: string } | null;
}

const attachmentUpload = ({ strapi }: { strapi: Core.Strapi }) => {
  const limits: AttachmentLimits = attachmentLimits(env);
  const uploads = () => strapi.plugin('upload').service('upload') as unknown as UploadService;

  async function findTicket(documentId: string): Promise<{ id: number; documentId: string }> {
    const ticket = (await strapi.db.query(TICKET).findOne({ where: { documentId }, select: ['id', 'documentId'] })) as
      | { id: number; documentId: string }
      | null;
    if (!ticket) throw new errors.NotFoundError('Ticket not found');
    return ticket;
  }

  /** The comment's id, when it is a comment on this ticket. */
  async function commentOnTicket(documentId: string, ticketId: number): Promise<number> {
    const comment = (await strapi.db.query(COMMENT).findOne({
      where: { documentId },
      select: ['id'],
      populate: { ticket: { select: ['id'] } },
    })) as { id: number; ticket: { id: number } | null } | null;
    if (!comment || comment.ticket?.id !== ticketId) throw fieldValidationError('comment', 'comment must be a comment on this ticket');
    return comment.id;
  }

  /** Deletes files from the provider and the media library; used to undo a request that failed. */
  async function removeAll(files: StoredFile[]): Promise<void> {
    for (const file of files) {
      try {
        await uploads().remove(file);
      } catch (error) {
        // the original error is what the caller must see; this one is for the operator
        strapi.log.error(`[attachments] could not remove file ${file.id} (${file.url}) after a failed upload: ${String(error)}`);
      }
    }
  }

  /** Stores the files (a few at once), in their order; when one fails, the ones stored are undone. */
  async function storeFiles(files: MultipartFile[]): Promise<StoredFile[]> {
    const folder = (await strapi.plugin('upload').service('api-upload-folder').getAPIUploadFolder()) as { id: number };
    const settled = await settledInGroups(files, async (file) => {
      const [saved] = await uploads().upload({ data: { fileInfo: { folder: folder.id } }, files: file });
      return saved;
    });
    const stored = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      await removeAll(stored);
      throw failed.reason;
    }
    return stored;
  }

  async function readRecords(ids: number[]): Promise<AttachmentRecord[]> {
    const rows = (await strapi.db.query(ATTACHMENT).findMany({
      where: { id: { $in: ids } },
      select: ['id', 'documentId', 'filename', 'size', 'mimeType'],
      populate: { file: { select: ['url', 'provider'] } },
      orderBy: { id: 'asc' },
    })) as AttachmentRow[];
    const fileService = strapi.plugin('upload').service('file');
    return Promise.all(
      rows.map(async (row) => {
        // a private bucket needs a signed URL; a public provider's URL comes back as it is
        const file = row.file ? ((await fileService.signFileUrls(row.file)) as { url: string }) : null;
        return {
          id: row.id,
          documentId: row.documentId,
          filename: row.filename,
          size: row.size === null ? null : Number(row.size),
          mimeType: row.mimeType,
          url: file?.url ?? null,
        };
      })
    );
  }

  /** Checks every file (nothing is stored when one is refused), then stores them all or none. */
  async function store(files: MultipartFile[]): Promise<StoredUpload> {
    await checkAttachmentFiles(strapi, files, limits);
    const stored = await storeFiles(files);
    return {
      files: stored,
      fresh: new Map(stored.map((file, index) => [file.id, { name: file.name, mime: file.mime, bytes: files[index].size, kilobytes: Number(file.size) }])),
    };
  }

  /** One attachment per stored file, in one transaction (the caller's, when it runs inside one); the ticket and comment by id. */
  async function link(upload: StoredUpload, relations: { ticket: number; comment?: number }): Promise<number[]> {
    return withFreshUploads(upload.fresh, async () =>
      strapi.db.transaction(async () => {
        const ids: number[] = [];
        for (const file of upload.files) {
          const attachment = await strapi.documents(ATTACHMENT).create({ data: { ...relations, file: file.id } });
          ids.push(Number(attachment.id));
        }
        return ids;
      })
    );
  }

  return {
    limits,
    // in steps, for a caller that attaches files within a transaction of its own (the back office's reply)
    store,
    link,
    discard: (upload: StoredUpload) => removeAll(upload.files),
    readRecords,

    /**
     * Attaches uploaded files to a ticket (and optionally one of its comments): every check runs
     * before anything is stored, then the files go to the upload provider and one attachment per
     * file is created in one transaction (the attachment hook writes each history row). If any
     * step fails, the stored files are deleted again and the transaction leaves no attachment or
     * history row.
     */
    async attach(request: TicketAttachmentRequest): Promise<AttachmentRecord[]> {
      const ticket = await findTicket(request.ticketDocumentId);
      const comment = request.commentDocumentId ? await commentOnTicket(request.commentDocumentId, ticket.id) : undefined;
      const upload = await store(request.files);
      const relations = comment === undefined ? { ticket: ticket.id } : { ticket: ticket.id, comment };
      let created: number[];
      try {
        created = await link(upload, relations);
      } catch (error) {
        await removeAll(upload.files);
        throw error;
      }
      return readRecords(created);
    },
  };
};

export type AttachmentUploadService = ReturnType<typeof attachmentUpload>;

export default attachmentUpload;
