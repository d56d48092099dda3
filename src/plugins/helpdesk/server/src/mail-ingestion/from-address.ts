/**
 * Who to answer, best effort: a readable but unusual From still gives a requester address when one
 * can be found, and never an address the linear pre-check (normalizeMailAddress) refuses, so no
 * crafted string reaches Strapi's email validators. In order: the From address; an address written
 * as From's display name (`"bob@example.com" <>`, mailparser moves most of these already); Reply-To;
 * Sender. None: the mail still becomes a ticket, with no reply address (apply.ts says so to staff).
 */
import { normalizeMailAddress } from '../validation/email-address';
import type { Address, FromSource } from './types';

export interface AddressEntry {
  address?: string;
  name?: string;
}

export interface Requester {
  from: Address | null;
  fromSource: FromSource | null;
}

const nameOf = (entry: AddressEntry | undefined): string => (entry?.name ?? '').trim().replace(/^>+$/, '');

export function requesterAddress(from: AddressEntry[], replyTo: AddressEntry[], sender: AddressEntry[]): Requester {
  for (const entry of from) {
    const address = normalizeMailAddress(entry.address ?? '');
    if (address) return { from: { address, name: nameOf(entry) }, fromSource: 'from' };
  }
  for (const entry of from) {
    const address = normalizeMailAddress(entry.name ?? '');
    if (address) return { from: { address, name: '' }, fromSource: 'from-name' };
  }
  const fallbacks: Array<[AddressEntry[], FromSource]> = [
    [replyTo, 'reply-to'],
    [sender, 'sender'],
  ];
  for (const [entries, source] of fallbacks) {
    for (const entry of entries) {
      const address = normalizeMailAddress(entry.address ?? '');
      // the name is From's when it has one: that is who wrote
      if (address) return { from: { address, name: nameOf(from[0]) || nameOf(entry) }, fromSource: source };
    }
  }
  return { from: null, fromSource: null };
}
