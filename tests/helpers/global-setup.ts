import { compileStrapi } from '@strapi/strapi';
import { applyTestEnv } from './test-env';

/** Compiles the TypeScript project into dist/ once; each test file then boots from dist/. */
export default async function globalSetup(): Promise<void> {
  applyTestEnv();
  const database = process.env.DATABASE_CLIENT ?? 'sqlite';
  if (database === 'postgres' && !process.env.DATABASE_URL) {
    throw new Error('DATABASE_CLIENT=postgres needs DATABASE_URL (a server the tests may create databases on)');
  }
  await compileStrapi();
}
