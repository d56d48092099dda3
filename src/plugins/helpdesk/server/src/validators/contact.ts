import { z } from '@strapi/utils';
import schema from '../content-types/contact/schema.json';
import { STRAPI_OWNED_FIELDS, optionalTextField, parseInput, textField } from '../validation/parse';

export const SERVER_OWNED_CONTACT_FIELDS = [
  'tickets',
  'displayName',
  ...STRAPI_OWNED_FIELDS,
] as const;

const attributes = schema.attributes;

const fields = {
  email: z.email().max(attributes.email.maxLength),
  firstName: optionalTextField(attributes.firstName),
  lastName: optionalTextField(attributes.lastName),
  phone: optionalTextField(attributes.phone),
  company: optionalTextField(attributes.company),
  branch: optionalTextField(attributes.branch),
};

const createBody = z.object({ data: z.object(fields).strict() }).strict();
const updateBody = z.object({ data: z.object(fields).partial().strict() }).strict();

export const validateContactCreate = (body: unknown) => parseInput(createBody, body, SERVER_OWNED_CONTACT_FIELDS).data;
export const validateContactUpdate = (body: unknown) => parseInput(updateBody, body, SERVER_OWNED_CONTACT_FIELDS).data;
