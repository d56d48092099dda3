import type { Core, Schema, Struct, UID } from '@strapi/strapi';
import { errors as databaseErrors } from '@strapi/database';
import { errors } from '@strapi/utils';

/**
 * Checks the operands of Strapi REST `filters` against the attributes they filter.
 *
 * Strapi's validateQuery checks filter keys and operators, not values. The database layer then
 * casts values as it builds SQL, and a value that does not fit fails there with a plain Error
 * (`filters[estimatedHours][$gt]=abc`: "Expected a valid Number") or, on PostgreSQL, with a
 * database error (`filters[id][$eq]=abc`, `$contains` on a number or date column): a 500 either
 * way. This walks the filters first and answers 400 naming the parameter.
 */

type Kind = 'id' | 'integer' | 'biginteger' | 'number' | 'boolean' | 'enumeration' | 'text' | 'other';

interface Operand {
  kind: Kind;
  /** The enumeration's values, for kind 'enumeration'. */
  values?: readonly string[];
}

const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid', 'password']);
/** Operators whose operands the database casts to the attribute's type (Strapi's own list). */
const CAST_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn', '$between']);
/** Operators that compare against a set of values: an enumeration operand must be one of its values. */
const EQUALITY_OPERATORS = new Set(['$eq', '$ne', '$in', '$notIn']);
/** LIKE without a cast: PostgreSQL has no LIKE on numbers, dates, booleans or JSON (the `…i`
 * variants cast the column to text first and work on every type). */
const CASE_SENSITIVE_TEXT_OPERATORS = new Set(['$contains', '$notContains', '$startsWith', '$endsWith']);

// PostgreSQL's `integer` (what Strapi uses for ids and integer attributes) and `bigint`.
const INT4_MAX = 2147483647n;
const INT8_MAX = 9223372036854775807n;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function operandOf(attribute: Schema.Attribute.AnyAttribute): Operand {
  switch (attribute.type) {
    case 'integer':
      return { kind: 'integer' };
    case 'biginteger':
      return { kind: 'biginteger' };
    case 'float':
    case 'decimal':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enumeration':
      return { kind: 'enumeration', values: attribute.enum };
    default:
      return { kind: TEXT_TYPES.has(attribute.type) ? 'text' : 'other' };
  }
}

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** A 400 about one query parameter, `filters[a][$eq]` written as qs writes it, in parseInput's shape. */
export function queryParamError(path: string[], message: string): errors.ValidationError {
  const name = path.map((part, i) => (i === 0 ? part : `[${part}]`)).join('');
  return new errors.ValidationError(`${name}: ${message}`, { errors: [{ path, message, name: 'ValidationError' }] });
}

function fail(path: string[], message: string): never {
  throw queryParamError(path, message);
}

function integerProblem(value: unknown, max: bigint): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^[+-]?\d+$/.test(text)) return 'expected an integer';
  const n = BigInt(text);
  return n > max || n < -max - 1n ? `expected an integer between ${-max - 1n} and ${max}` : null;
}

/** One scalar operand; null means "IS NULL" to Strapi and fits every type. */
function checkScalar(operand: Operand, value: unknown, path: string[], operator: string): void {
  if (value === null) return;
  if (typeof value === 'object') fail(path, `expected a single value, got ${Array.isArray(value) ? 'a list' : 'an object'}`);
  let problem: string | null = null;
  switch (operand.kind) {
    case 'id':
    case 'integer':
      problem = integerProblem(value, INT4_MAX);
      break;
    case 'biginteger':
      problem = integerProblem(value, INT8_MAX);
      break;
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) problem = 'expected a number';
      break;
    }
    case 'boolean':
      if (![true, false, 'true', 'false', 't', 'f', '1', '0', 1, 0].includes(value as string | number | boolean)) {
        problem = 'expected true or false';
      }
      break;
    case 'enumeration':
      if (EQUALITY_OPERATORS.has(operator) && !operand.values?.includes(String(value))) {
        problem = `expected one of ${operand.values?.join(', ')}`;
      }
      break;
    default:
      break;
  }
  if (problem) fail(path, `${problem}, got ${describe(value)}`);
}

/** The value filtering one attribute: a scalar (implicit $eq), a list (implicit $in) or operators. */
function checkOperand(operand: Operand, value: unknown, path: string[], operator = '$eq'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkOperand(operand, item, [...path, String(i)], operator));
    return;
  }
  if (!isRecord(value)) {
    checkScalar(operand, value, path, operator);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = [...path, key];
    if (key === '$not') {
      checkOperand(operand, inner, innerPath);
    } else if (key === '$between') {
      if (!Array.isArray(inner) || inner.length !== 2) fail(innerPath, 'expected two values, [0] and [1]');
      checkOperand(operand, inner, innerPath, key);
    } else if (CAST_OPERATORS.has(key)) {
      checkOperand(operand, inner, innerPath, key);
    } else if (CASE_SENSITIVE_TEXT_OPERATORS.has(key) && operand.kind !== 'text' && operand.kind !== 'enumeration') {
      fail(innerPath, `${key} compares text; ${path[path.length - 1]} is not a text field (${key}i works on any field)`);
    }
  }
}

type GetModel = (uid: string) => Struct.Schema | undefined;

function walk(getModel: GetModel, uid: string, filters: unknown, path: string[]): void {
  if (Array.isArray(filters)) {
    filters.forEach((sub, i) => walk(getModel, uid, sub, [...path, String(i)]));
    return;
  }
  if (!isRecord(filters)) return;
  const model = getModel(uid);
  if (!model) return;
  for (const [key, value] of Object.entries(filters)) {
    const keyPath = [...path, key];
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) fail(keyPath, `${key} expects a list of filters, ${key}[0], ${key}[1], …`);
      walk(getModel, uid, value, keyPath);
      continue;
    }
    if (key === '$not') {
      walk(getModel, uid, value, keyPath);
      continue;
    }
    if (key === 'id') {
      checkOperand({ kind: 'id' }, value, keyPath);
      continue;
    }
    const attribute = model.attributes[key];
    // unknown keys and operators in the wrong place are Strapi's validateQuery's to refuse
    if (!attribute) continue;
    if (attribute.type === 'relation') {
      // morph relations have no single target; Strapi's own traversal skips them too
      if (!('target' in attribute)) continue;
      const operators = isRecord(value) ? Object.keys(value).filter((k) => k.startsWith('$')).length : 0;
      if (isRecord(value) && operators > 0 && operators < Object.keys(value).length) {
        fail(keyPath, 'operators and fields cannot be mixed on a relation');
      }
      const nested = isRecord(value) && operators === 0;
      // `assignee=3`, `assignee[$in]=…` name the related row's id; `assignee[username]=…` nests
      if (nested) walk(getModel, attribute.target, value, keyPath);
      else checkOperand({ kind: 'id' }, value, keyPath);
    } else if (attribute.type === 'component') {
      walk(getModel, attribute.component, value, keyPath);
    } else if (attribute.type !== 'media' && attribute.type !== 'dynamiczone') {
      checkOperand(operandOf(attribute), value, keyPath);
    }
  }
}

/** Throws a ValidationError (400) naming the first operand in `filters` that does not fit its attribute. */
export function assertFilterValues(strapi: Core.Strapi, uid: UID.Schema, filters: unknown): void {
  // widened to the generic schema: the walk looks attributes up by name
  const getModel: GetModel = (target) => strapi.getModel(target as UID.Schema) as Struct.Schema | undefined;
  walk(getModel, uid, filters, ['filters']);
}

/** PostgreSQL error classes that a filter value can cause: data exceptions (class 22) and an
 * operator that does not exist for the column's type. */
const isPostgresValueError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '42883');
};

/**
 * The last line of defence behind assertFilterValues: a query that still fails because of a filter
 * value (a date Strapi cannot parse, a PostgreSQL data exception) becomes a 400 instead of a 500.
 * Returns the error to throw: a ValidationError, or the original error.
 */
export function asFilterError(error: unknown): unknown {
  if (error instanceof errors.ApplicationError) return error;
  if (error instanceof databaseErrors.DatabaseError || isPostgresValueError(error)) {
    const reason = error instanceof databaseErrors.DatabaseError ? error.message : 'a value does not fit its field';
    return new errors.ValidationError(`filters: ${reason}`, {
      errors: [{ path: ['filters'], message: reason, name: 'ValidationError' }],
    });
  }
  return error;
}
