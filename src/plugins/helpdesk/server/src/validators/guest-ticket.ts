import { z } from '@strapi/utils';
import schema from '../content-types/ticket/schema.json';
import type { Modules } from '@strapi/strapi';
import { enumField, parseInput } from '../validation/parse';

type TicketCategory = NonNullable<Modules.Documents.Document<typeof TICKET>['category']>;
import { toPlainText } from '../validation/plain-text';
import { TICKET } from '../../../shared/uids';

const attributes = schema.attributes;
const GUEST_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/** Required plain text: markup removed, then trimmed and length-checked. */
const text = (max: number, min = 1) =>
  z
    .string()
    .max(max * 2, `must be at most ${max} characters`)
    .transform(toPlainText)
    .pipe(z.string().min(min, min === 1 ? 'is required' : `must be at least ${min} characters`).max(max, `must be at most ${max} characters`));
const optionalText = (max: number) =>
  z
    .string()
    .max(max * 2, `must be at most ${max} characters`)
    .transform(toPlainText)
    .pipe(z.string().max(max, `must be at most ${max} characters`))
    .optional();

const guestFields = z
  .object({
    firstName: text(attributes.firstName.maxLength),
    lastName: text(attributes.lastName.maxLength),
    email: z.string().trim().max(attributes.email.maxLength).pipe(z.email('must be a valid email address')),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{5,30}$/, 'must be a phone number: digits, spaces and + ( ) - . /')
      .refine((phone) => (phone.match(/[0-9]/g) ?? []).length >= 5, 'must contain at least 5 digits'),
    company: text(attributes.company.maxLength),
    branch: optionalText(attributes.branch.maxLength),
    subject: text(attributes.subject.maxLength, 3),
    description: text(5000, 10),
    priority: z.enum(GUEST_PRIORITIES).default('medium'),
    category: enumField<TicketCategory>(attributes.category.enum).optional(),
    // Honeypot: the form hides this field; people leave it empty, form-filling bots do not.
    website: z.string().max(500).optional(),
  })
  .strict();

const guestBody = z.object({ data: guestFields }).strict();
// with the proof-of-work challenge on, the widget's base64 payload is required (verified in the controller)
const guestBodyWithChallenge = z
  .object({ data: guestFields.extend({ altcha: z.string().min(1, 'is required').max(4000) }) })
  .strict();

export type GuestTicketInput = z.infer<typeof guestFields>;

/** Without the challenge, `altcha` is an unknown field (400) like any other. */
export function validateGuestTicket(body: unknown, options: { challenge?: boolean } = {}): GuestTicketInput & { altcha?: string } {
  return options.challenge ? parseInput(guestBodyWithChallenge, body).data : parseInput(guestBody, body).data;
}
