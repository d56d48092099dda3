import { AsyncLocalStorage } from 'node:async_hooks';

const storedAsReceived = new AsyncLocalStorage<true>();

/**
 * Runs `work` with the upload plugin's image processing off: images are stored as received, with
 * no re-encoding, thumbnail or responsive copies. For files that come with a customer's mail:
 * each of those steps decodes the whole image with sharp, inside the ingestion transaction (a
 * 9 MB photo took minutes on a loaded machine and went past the per-mail budget).
 */
export const withImagesAsReceived = <T>(work: () => Promise<T>): Promise<T> => storedAsReceived.run(true, work);

/** True inside withImagesAsReceived (the upload extension's image steps ask). */
export const imagesStoredAsReceived = (): boolean => storedAsReceived.getStore() === true;
