import { AsyncLocalStorage } from 'node:async_hooks';

/** The customer mail a change comes from, while mail ingestion applies it. */
export interface InboundMailContext {
  messageId: string;
  /** Sent by a machine (auto-responder, list, bounce): ingested, never answered. */
  automatic: boolean;
}

const inbound = new AsyncLocalStorage<InboundMailContext>();

export const withInboundMail = <T>(mail: InboundMailContext, work: () => Promise<T>): Promise<T> => inbound.run(mail, work);

export const currentInboundMail = (): InboundMailContext | undefined => inbound.getStore();
