import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { CONTACT } from '../../../shared/uids';
import { normalizeEmail } from '../domain/ticket-rules';
import { isUniqueViolation } from '../db/errors';

export interface ContactDetails {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  company?: string | null;
  branch?: string | null;
}

export interface ContactRef {
  id: number;
  documentId: string;
}

export const contactActions = (strapi: Core.Strapi) => ({
  /**
   * The contact for an email address (case-insensitive), created on first sight, inside the
   * caller's transaction so that a failed ticket leaves no contact behind. Two concurrent first
   * sights race on the unique index: the loser rolls back to a savepoint (PostgreSQL would
   * otherwise abort the whole transaction) and reads the winner's row.
   */
  async findOrCreateByEmail(details: ContactDetails): Promise<ContactRef> {
    const email = normalizeEmail(details.email);
    const find = () =>
      strapi.db.query(CONTACT).findOne({ where: { email }, select: ['id', 'documentId'] }) as Promise<ContactRef | null>;

    return strapi.db.transaction(async ({ trx }) => {
      const existing = await find();
      if (existing) return existing;
      await trx.raw('SAVEPOINT contact_upsert');
      try {
        const created = (await strapi.db.query(CONTACT).create({
          data: {
            email,
            firstName: details.firstName ?? null,
            lastName: details.lastName ?? null,
            phone: details.phone ?? null,
            company: details.company ?? null,
            branch: details.branch ?? null,
          },
          select: ['id', 'documentId'],
        })) as ContactRef;
        await trx.raw('RELEASE SAVEPOINT contact_upsert');
        return created;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await trx.raw('ROLLBACK TO SAVEPOINT contact_upsert');
        const winner = await find();
        if (!winner) throw error;
        return winner;
      }
    });
  },
});

export type ContactService = ReturnType<typeof contactActions>;

export default factories.createCoreService(CONTACT, ({ strapi }) => contactActions(strapi));
