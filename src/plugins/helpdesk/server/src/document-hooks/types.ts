import type { Core } from '@strapi/strapi';

/** The part of a Document Service call the hooks read and rewrite. */
export interface DocumentCall {
  uid: string;
  action: string;
  params: {
    data?: Record<string, unknown>;
    documentId?: string;
    [key: string]: unknown;
  };
}

/** What the Document Service returns for a create or update: the stored entry. */
export interface StoredEntry {
  id: number;
  documentId: string;
  [key: string]: unknown;
}

export type Next = () => Promise<unknown>;

export type DocumentHook = (strapi: Core.Strapi, call: DocumentCall, next: Next) => Promise<unknown>;
