import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { CONTACT } from '../../../uids';
import { normalizeEmail } from '../../ticket/domain/ticket-rules';
import { isUniqueViolation } from '../../../db/errors';

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
   * The contact for an email address (case-insensitive), created on first sight. Run outside
   * the caller's transaction: two concurrent first sights race on the unique index, and the
   * loser reads the winner's row instead of failing.
   */
  async findOrCreateByEmail(details: ContactDetails): Promise<ContactRef> {
    const email = normalizeEmail(details.email);
    const find = () =>
      strapi.db.query(CONTACT).findOne({ where: { email }, select: ['id', 'documentId'] }) as Promise<ContactRef | null>;

    const existing = await find();
    if (existing) return existing;
    try {
      const created = await strapi.db.query(CONTACT).create({
        data: {
          email,
          firstName: details.firstName ?? null,
          lastName: details.lastName ?? null,
          phone: details.phone ?? null,
          company: details.company ?? null,
          branch: details.branch ?? null,
        },
        select: ['id', 'documentId'],
      });
      return created as ContactRef;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await find();
      if (!winner) throw error;
      return winner;
    }
  },
});

export type ContactService = ReturnType<typeof contactActions>;

export default factories.createCoreService(CONTACT, ({ strapi }) => contactActions(strapi));
