import type { Core } from '@strapi/strapi';

const WRAPPED = Symbol.for('helpdesk.afterAdminBootstrap');

interface AdminModule {
  bootstrap(context: { strapi: Core.Strapi }): Promise<void>;
  [WRAPPED]?: true;
}

const afterAdmin = new WeakMap<Core.Strapi, Array<() => Promise<void>>>();

/**
 * Wraps the admin module's bootstrap (in register) so that the work queued by afterAdminBootstrap
 * runs right after it. The module is one object per process (Node's module cache): wrapped once,
 * it finds each Strapi's work by the context it is called with.
 */
export function runAfterAdminBootstrap(strapi: Core.Strapi): void {
  afterAdmin.set(strapi, []);
  const admin = strapi.get('admin') as AdminModule;
  if (admin[WRAPPED]) return;
  const bootstrap = admin.bootstrap.bind(admin);
  admin.bootstrap = async (context) => {
    await bootstrap(context);
    for (const work of afterAdmin.get(context.strapi) ?? []) await work();
  };
  admin[WRAPPED] = true;
}

/** Queues `work` to run right after the admin module's bootstrap (see runAfterAdminBootstrap). */
export function afterAdminBootstrap(strapi: Core.Strapi, work: () => Promise<void>): void {
  afterAdmin.get(strapi)?.push(work);
}
