import type { Core } from '@strapi/strapi';
import { CONTACT } from '../../../shared/uids';

/**
 * A contact is shown by name and email ("Gina Green <gina@example.com>") in the Content Manager's
 * pickers and lists: `displayName`, kept by the server on every write (Document Service or query
 * engine: the ingestion creates contacts through the latter) and used as the contact's mainField.
 */
interface NameParts {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export function contactDisplayName(contact: NameParts): string {
  const name = [contact.firstName, contact.lastName].map((part) => part?.trim()).filter(Boolean).join(' ');
  const email = contact.email?.trim() ?? '';
  if (!name) return email;
  return email ? `${name} <${email}>` : name;
}

const NAME_FIELDS = ['email', 'firstName', 'lastName'] as const;

interface LifecycleEvent {
  params: { data?: Record<string, unknown>; where?: Record<string, unknown> };
}

/** Subscribes the database lifecycle that keeps `displayName`; call once at bootstrap. */
export function keepContactDisplayNames(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe({
    models: [CONTACT],
    beforeCreate(event: LifecycleEvent) {
      const data = event.params.data;
      if (data) data.displayName = contactDisplayName(data as NameParts);
    },
    async beforeUpdate(event: LifecycleEvent) {
      const data = event.params.data;
      if (!data) return;
      delete data.displayName;
      if (!NAME_FIELDS.some((field) => field in data)) return;
      const current = (await strapi.db.query(CONTACT).findOne({ where: event.params.where, select: [...NAME_FIELDS] })) as NameParts | null;
      data.displayName = contactDisplayName({ ...(current ?? {}), ...(data as NameParts) });
    },
  } as Parameters<typeof strapi.db.lifecycles.subscribe>[0]);
}

/** Existing contacts (from before the field, or written with raw SQL) get their display name. */
export async function backfillContactDisplayNames(strapi: Core.Strapi): Promise<number> {
  let filled = 0;
  for (;;) {
    const batch = (await strapi.db.query(CONTACT).findMany({
      where: { displayName: { $null: true } },
      select: ['id', ...NAME_FIELDS],
      limit: 500,
    })) as Array<NameParts & { id: number }>;
    if (batch.length === 0) return filled;
    for (const contact of batch) {
      // through the lifecycle above (beforeUpdate computes it from the stored names)
      await strapi.db.query(CONTACT).update({ where: { id: contact.id }, data: { email: contact.email } });
      filled += 1;
    }
  }
}
