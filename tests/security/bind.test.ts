import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { env } from '@strapi/utils';
import serverConfig from '../../config/server';

const appDir = path.resolve(__dirname, '..', '..');

/**
 * A fresh install listens on loopback only: POST /admin/register-admin makes whoever calls it
 * first the super admin, so the server must not be reachable from the network before that.
 */
describe('listening address', () => {
  const saved = { HOST: process.env.HOST, APP_KEYS: process.env.APP_KEYS };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('binds to 127.0.0.1 when HOST is not set', () => {
    delete process.env.HOST;
    process.env.APP_KEYS = 'a,b';
    expect(serverConfig({ env }).host).toBe('127.0.0.1');
  });

  it('binds where HOST says (HOST=0.0.0.0 exposes it)', () => {
    process.env.HOST = '0.0.0.0';
    process.env.APP_KEYS = 'a,b';
    expect(serverConfig({ env }).host).toBe('0.0.0.0');
  });

  it('does not write HOST into a generated .env, and .env.example does not set it', () => {
    // the script writes next to its own folder: run a copy in a throw-away app directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-env-'));
    try {
      fs.mkdirSync(path.join(dir, 'scripts'));
      fs.copyFileSync(path.join(appDir, 'scripts', 'ensure-env.js'), path.join(dir, 'scripts', 'ensure-env.js'));
      const childEnv = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !['HOST', 'PORT', 'APP_KEYS', 'JWT_SECRET'].includes(key))
      );
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'ensure-env.js')], { env: childEnv });
      const written = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      expect(written).toMatch(/^APP_KEYS=/m);
      expect(written).not.toMatch(/^\s*HOST\s*=/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(fs.readFileSync(path.join(appDir, '.env.example'), 'utf8')).not.toMatch(/^\s*HOST\s*=/m);
  });
});
