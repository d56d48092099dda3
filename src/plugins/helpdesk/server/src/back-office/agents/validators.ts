import { z } from '@strapi/utils';
import { parseInput } from '../../validation/parse';

const createBody = z
  .object({
    data: z
      .object({
        email: z.string().trim().min(1).max(254),
        password: z.string().min(1).max(200),
        name: z.string().trim().max(100).optional(),
      })
      .strict(),
  })
  .strict();

const makeMeBody = z
  .object({ data: z.object({ password: z.string().min(1).max(200).optional() }).strict().optional() })
  .strict();

export const validateStaffCreate = (body: unknown) => parseInput(createBody, body).data;
export const validateMakeMeAgent = (body: unknown) => parseInput(makeMeBody, body ?? {}).data ?? {};
