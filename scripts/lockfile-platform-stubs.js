#!/usr/bin/env node
// The registry mirror here lacks other platforms' builds of some native packages (@swc/core-*,
// @rollup/rollup-*), so `npm install` leaves them out of package-lock.json and `npm ci` then
// refuses the lockfile as out of sync. This adds a stub entry (version, os, cpu, libc, optional)
// for each missing platform package: npm ci skips them on a non-matching platform, as it would
// with full entries. Run after any `npm install` that rewrites the lockfile.
const fs = require('fs');
const path = require('path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'openharmony', 'sunos', 'netbsd', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return null;
  const libc = parts.find((p) => p.startsWith('musl')) ? 'musl' : parts.find((p) => p === 'gnu' || p.startsWith('gnueabi')) ? 'glibc' : null;
  return { os, cpu, libc };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  const optional = entry.optionalDependencies || {};
  for (const [name, range] of Object.entries(optional)) {
    const here = `${location ? `${location}/` : ''}node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (packages[here] || packages[top]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    const version = String(range).replace(/^[\^~=]/, '');
    packages[location.includes('node_modules/') ? here : top] = {
      version,
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added += 1;
  }
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform stub(s) added`);
