import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from 'pg';
import { createStrapi, type Core } from '@strapi/strapi';
import type { AddressInfo } from 'node:net';
import { applyTestEnv } from './test-env';
import { createAgent } from '../../src/plugins/helpdesk/server/src/access/roles';
import { getService } from '../../src/plugins/helpdesk/server/src/get-service';

/**
 * Email to ticket as the booted Strapi runs it: the plugin bundle's own service, so a test shares
 * that copy's module state (leases, the acting user) instead of loading a second one from source.
 */
export const mailIngestion = (helpdesk: { strapi: Core.Strapi }) => getService(helpdesk.strapi, 'mailIngestion');

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Helpdesk {
  strapi: Core.Strapi;
  baseUrl: string;
  /** Where the local upload provider stores files: this Strapi's own copy of public/. */
  uploadsDir: string;
  request<T = any>(method: string, url: string, options?: RequestOptions): Promise<HttpResult<T>>;
  /** POST /api/tickets/guest as an anonymous browser would, with `body` as the whole JSON body. */
  submitGuest(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A new agent account; returns its id and a JWT for the REST API. */
  agent(email?: string): Promise<{ id: number; jwt: string }>;
  /** A new super admin; returns a token for the admin panel's routes (Content Manager). */
  admin(email?: string): Promise<{ id: number; token: string }>;
  /** A confirmed account with the default Authenticated role (a customer, not staff), signed in. */
  customer(email?: string): Promise<{ id: number; jwt: string }>;
  stop(): Promise<void>;
}

const PASSWORD = 'Correct-Horse-9';

export interface TestDatabase {
  drop(): Promise<void>;
}

/** A database of its own for this test file: a temp SQLite file, or a new PostgreSQL database. */
export async function freshDatabase(): Promise<TestDatabase> {
  const client = process.env.DATABASE_CLIENT ?? 'sqlite';
  const name = `helpdesk_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (client === 'sqlite') {
    const file = path.join(os.tmpdir(), `${name}.db`);
    process.env.DATABASE_FILENAME = file;
    return { drop: async () => fs.rmSync(file, { force: true }) };
  }
  if (client !== 'postgres') throw new Error(`tests run on sqlite or postgres, not ${client}`);

  // The server URL given to the run; each file gets its own database on it.
  const serverUrl = process.env.HELPDESK_TEST_SERVER_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_CLIENT=postgres needs DATABASE_URL');
  process.env.HELPDESK_TEST_SERVER_URL = serverUrl;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  return {
    drop: async () => {
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export interface StartOptions {
  /** Environment for this Strapi only (SMTP_HOST, GUEST_RATE_LIMIT_MAX, ...); restored on stop. */
  env?: Record<string, string | undefined>;
  /** Runs after Strapi is created and before it loads (to watch its boot log, say). */
  beforeLoad?: (strapi: Core.Strapi) => void;
  /** A database made earlier with freshDatabase() (and already written to) instead of a new one. */
  database?: TestDatabase;
}

/** A beforeLoad that copies every message Strapi logs at `level` into `lines` (and still logs it). */
export function recordLog(level: 'info' | 'warn' | 'error', lines: string[]): (strapi: Core.Strapi) => void {
  return (strapi) => {
    const log = strapi.log[level].bind(strapi.log);
    strapi.log[level] = ((message: unknown, ...rest: unknown[]) => {
      lines.push(String(message));
      return log(message as string, ...(rest as []));
    }) as typeof strapi.log.info;
  };
}

function overrideEnv(env: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  assign(env);
  return () => assign(previous);
}

/**
 * A copy of public/ (the guest form page) with an empty uploads folder, so that test files running
 * side by side never see, or clean up, each other's uploads.
 */
function privatePublicDir(appDir: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-public-'));
  fs.cpSync(path.join(appDir, 'public'), dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}uploads${path.sep}`) });
  fs.mkdirSync(path.join(dir, 'uploads'), { recursive: true });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function startHelpdesk(options: StartOptions = {}): Promise<Helpdesk> {
  applyTestEnv();
  const appDir = path.resolve(__dirname, '..', '..');
  const publicDir = privatePublicDir(appDir);
  const restoreEnv = overrideEnv({ SMTP_HOST: undefined, PUBLIC_DIR: publicDir.dir, ...options.env });
  const database = options.database ?? (await freshDatabase());
  const created = createStrapi({ appDir, distDir: path.join(appDir, 'dist') });
  options.beforeLoad?.(created);
  const strapi = await created.load();
  await new Promise<void>((resolve) => strapi.server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = strapi.server.httpServer.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let accounts = 0;

  const request = async <T>(method: string, url: string, options: RequestOptions = {}): Promise<HttpResult<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${baseUrl}${url}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };

  return {
    strapi,
    baseUrl,
    uploadsDir: path.join(strapi.dirs.static.public, 'uploads'),
    request,
    submitGuest: (body, headers = {}) =>
      fetch(`${baseUrl}/api/tickets/guest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    async agent(email = `agent${++accounts}@example.test`) {
      const user = await createAgent(strapi, { email, password: PASSWORD, name: email.split('@')[0] });
      const login = await request<{ jwt: string }>('POST', '/api/auth/local', {
        body: { identifier: email, password: PASSWORD },
      });
      if (login.status !== 200) throw new Error(`agent login failed: ${JSON.stringify(login.body)}`);
      return { id: user.id, jwt: login.body.jwt };
    },
    async customer(email = `customer${++accounts}@example.test`) {
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
      const user = await strapi.plugin('users-permissions').service('user').add({
        username: email.split('@')[0],
        email,
        password: PASSWORD,
        provider: 'local',
        confirmed: true,
        blocked: false,
        role: role.id,
      });
      const login = await request<{ jwt: string }>('POST', '/api/auth/local', { body: { identifier: email, password: PASSWORD } });
      if (login.status !== 200) throw new Error(`customer login failed: ${JSON.stringify(login.body)}`);
      return { id: user.id, jwt: login.body.jwt };
    },
    async admin(email = `admin${++accounts}@example.test`) {
      const superAdmin = await strapi.service('admin::role').getSuperAdmin();
      const user = await strapi.service('admin::user').create({
        email,
        firstname: 'Ada',
        lastname: 'Admin',
        password: PASSWORD,
        isActive: true,
        roles: [superAdmin.id],
      });
      const login = await request<{ data: { token?: string; accessToken?: string } }>('POST', '/admin/login', {
        body: { email, password: PASSWORD },
      });
      const token = login.body?.data?.token ?? login.body?.data?.accessToken;
      if (login.status !== 200 || !token) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
      return { id: user.id, token };
    },
    async stop() {
      // Strapi emits entry events after commit without awaiting them; let the last ones finish
      // before the pool goes, or their queries wait out the acquire timeout in a later suite.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await strapi.destroy();
      await database.drop();
      publicDir.remove();
      restoreEnv();
    },
  };
}
