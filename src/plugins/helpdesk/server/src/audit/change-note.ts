import { AsyncLocalStorage } from 'node:async_hooks';

const notes = new AsyncLocalStorage<string>();

/** Runs `work` with a note explaining the change (the status action's `note`); history rows carry it. */
export const withChangeNote = <T>(note: string | undefined, work: () => Promise<T>): Promise<T> =>
  note ? notes.run(note, work) : work();

export const currentChangeNote = (): string | undefined => notes.getStore();
