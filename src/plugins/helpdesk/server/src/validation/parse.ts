import { errors, z } from '@strapi/utils';

interface FieldError {
  path: string[];
  message: string;
  name: 'ValidationError';
}

/**
 * Parses `input` with a zod schema, or throws Strapi's ValidationError (a 400 in Strapi's error
 * JSON) with one entry per bad field. Unknown keys get one entry each, so the field is named;
 * keys the server owns get a message that says so.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  serverOwned: readonly string[] = []
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const allErrors: FieldError[] = result.error.issues.flatMap((issue): FieldError[] => {
    // Paths name the field as the content type does (`subject`, not `data.subject`), like Strapi's own errors.
    const path = issue.path.map(String);
    if (path[0] === 'data') path.shift();
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: serverOwned.includes(key)
          ? `${key} is set by the server and cannot be written`
          : `${key} is not a known field`,
        name: 'ValidationError',
      }));
    }
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    return [{ path, message: missing ? 'is required' : issue.message, name: 'ValidationError' }];
  });

  // one error per field: the first rule it broke
  const seen = new Set<string>();
  const fieldErrors = allErrors.filter((error) => {
    const key = error.path.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const first = fieldErrors[0];
  const summary = first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'Invalid input';
  const more = fieldErrors.length > 1 ? ` (and ${fieldErrors.length - 1} more errors)` : '';
  throw new errors.ValidationError(`${summary}${more}`, { errors: fieldErrors });
}

/** A reference to one related document, as the REST API accepts it. */
const documentRef = z.union([
  z.string().min(1).max(64),
  z.number().int().positive(),
  z.object({ documentId: z.string().min(1).max(64) }).strict(),
  z.object({ id: z.number().int().positive() }).strict(),
]);

/** A to-one relation in a REST body: a reference, null, or connect/disconnect/set of one reference. */
export const toOneRelation = z.union([
  documentRef,
  z.null(),
  z
    .object({
      connect: z.array(documentRef).max(1).optional(),
      disconnect: z.array(documentRef).max(1).optional(),
      set: z.array(documentRef).max(1).optional(),
    })
    .strict(),
]);

/** Reads an attribute's limits from a content-type schema.json, so that limits live in one place. */
export interface StringAttribute {
  maxLength?: number;
  minLength?: number;
}

export const textField = (attribute: StringAttribute) =>
  z
    .string()
    .trim()
    .min(attribute.minLength ?? 0)
    .max(attribute.maxLength ?? 65535);

/** An optional, clearable text field with the attribute's limits. */
export const optionalTextField = (attribute: StringAttribute) => textField(attribute).nullable().optional();

/** Fields Strapi itself keeps on every document; no API client writes them. */
export const STRAPI_OWNED_FIELDS = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy'] as const;

/** An enumeration from a schema.json; `T` narrows it to the generated content type's union. */
export const enumField = <T extends string = string>(values: readonly string[]) => z.enum(values as [T, ...T[]]);

/** A 400 about one field, in the same shape as parseInput's. */
export const fieldValidationError = (field: string, message: string) =>
  new errors.ValidationError(message, { errors: [{ path: [field], message, name: 'ValidationError' }] });
