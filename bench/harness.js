// What the benches that boot Strapi in a child process share: a fresh database with a direct
// connection for the floor (the same SQL run from this process), the child's start and stop, medians.
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { fork } = require('child_process');

const appDir = path.resolve(__dirname, '..');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;

/**
 * A new database for bench `name` (SQLite file, or a database created on DATABASE_URL's server).
 * `firstAlone`: the floor runs the first statement before the others (a count the rest depend on).
 */
async function freshDatabase(name, client, { firstAlone = false } = {}) {
  if (client === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `helpdesk-bench-${name}-`));
    const file = path.join(dir, 'bench.db');
    return {
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
      /** a direct connection of our own, for the floor */
      async connect() {
        const Database = require('better-sqlite3');
        const db = new Database(file, { readonly: true, fileMustExist: true });
        const prepared = new Map();
        return {
          run: (statements) => {
            // prepared once, as Strapi's statement cache does
            for (const { sql, bindings } of statements) {
              if (!prepared.has(sql)) prepared.set(sql, db.prepare(sql));
              prepared.get(sql).all(...bindings);
            }
          },
          close: async () => db.close(),
        };
      },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (client !== 'postgres') throw new Error(`bench:${name} runs on sqlite or postgres, not ${client}`);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_CLIENT=postgres needs DATABASE_URL (a server the bench may create a database on)');
  const { Client } = require('pg');
  const database = `helpdesk_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    async connect() {
      // one connection per statement, as the endpoint's pool runs them in parallel
      const clients = [];
      return {
        run: async (statements) => {
          while (clients.length < statements.length) {
            const client = new Client({ connectionString: url.toString() });
            await client.connect();
            clients.push(client);
          }
          const parallel = firstAlone ? statements.slice(1) : statements;
          if (firstAlone) await clients[0].query(statements[0].sql, statements[0].bindings);
          const offset = firstAlone ? 1 : 0;
          await Promise.all(parallel.map(({ sql, bindings }, i) => clients[i + offset].query(sql, bindings)));
        },
        close: async () => Promise.all(clients.map((client) => client.end())),
      };
    },
    drop: async () => {
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Starts `bench/<script>` with `env`; `ready` resolves with its ready message. */
function startServer(script, env) {
  const child = fork(path.join(__dirname, script), [], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server was not ready within 10 minutes')), 600_000);
    child.on('message', (message) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return { child, ready };
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'exit' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

module.exports = { appDir, median, ms, freshDatabase, startServer, stopChild };
