#!/usr/bin/env node
// Creates a helpdesk agent account (users-permissions user with the Agent role).
// Usage: npm run agent:create -- --email a@b.c --password ... [--name "Ann Agent"]
// The password may come from AGENT_PASSWORD instead, to keep it out of the process list.
const path = require('path');
const { parseArgs } = require('util');

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  const password = values.password ?? process.env.AGENT_PASSWORD;
  if (!values.email || !password) {
    console.error('usage: npm run agent:create -- --email a@b.c --password <at least 8 characters> [--name "Ann Agent"]');
    process.exit(2);
  }

  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  const app = await createStrapi(await compileStrapi()).load();
  try {
    const { createAgent } = require(path.join(app.dirs.dist.src, 'access', 'roles.js'));
    const agent = await createAgent(app, { email: values.email, password, name: values.name });
    console.log(`agent created: ${agent.email} (user id ${agent.id}); sign in with POST /api/auth/local`);
  } catch (error) {
    console.error(`could not create the agent: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await app.destroy();
  }
  process.exit();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
