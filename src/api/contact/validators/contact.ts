import { z } from '@strapi/utils';
import schema from '../content-types/contact/schema.json';
import { parseInput, textField } from '../../../validation/parse';

export const SERVER_OWNED_CONTACT_FIELDS = [
  'tickets', 'id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy',
] as const;

const attributes = schema.attributes;
const optionalText = (attribute: { maxLength?: number }) => textField(attribute).nullable().optional();

const fields = {
  email: z.email().max(attributes.email.maxLength),
  firstName: optionalText(attributes.firstName),
  lastName: optionalText(attributes.lastName),
  phone: optionalText(attributes.phone),
  company: optionalText(attributes.company),
  branch: optionalText(attributes.branch),
};

const createBody = z.object({ data: z.object(fields).strict() }).strict();
const updateBody = z.object({ data: z.object(fields).partial().strict() }).strict();

export const validateContactCreate = (body: unknown) => parseInput(createBody, body, SERVER_OWNED_CONTACT_FIELDS).data;
export const validateContactUpdate = (body: unknown) => parseInput(updateBody, body, SERVER_OWNED_CONTACT_FIELDS).data;
