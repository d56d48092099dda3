#!/usr/bin/env node
// Creates (or completes) an ignored .env with random development secrets, so that a fresh
// clone runs with `npm install && npm run develop` and no manual editing.
// Existing values are never overwritten.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const envPath = path.join(__dirname, '..', '.env');
const secret = () => crypto.randomBytes(24).toString('base64');

// HOST is left out on purpose: config/server.ts binds to 127.0.0.1 unless HOST is set.
const wanted = {
  PORT: () => '1337',
  APP_KEYS: () => [secret(), secret(), secret(), secret()].join(','),
  API_TOKEN_SALT: secret,
  ADMIN_JWT_SECRET: secret,
  TRANSFER_TOKEN_SALT: secret,
  JWT_SECRET: secret,
  ENCRYPTION_KEY: secret,
  STRAPI_TELEMETRY_DISABLED: () => 'true',
};

const current = fs.existsSync(envPath) ? fs.readFileSync(envPath, 'utf8') : '';
const present = new Set(
  current
    .split('\n')
    .map((line) => line.match(/^\s*([A-Z0-9_]+)\s*=/))
    .filter(Boolean)
    .map((m) => m[1])
);
const missing = Object.keys(wanted).filter((key) => !present.has(key) && !process.env[key]);

if (missing.length > 0) {
  const prefix = current && !current.endsWith('\n') ? '\n' : '';
  const lines = missing.map((key) => `${key}=${wanted[key]()}`).join('\n');
  fs.writeFileSync(envPath, `${current}${prefix}${lines}\n`, { mode: 0o600 });
  console.log(`[helpdesk] wrote ${missing.length} generated development setting(s) to .env: ${missing.join(', ')}`);
}
