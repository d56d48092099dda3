#!/usr/bin/env node
// Creates one helpdesk staff member: an agent account for the REST API (users-permissions user with
// the Agent role) and an admin-panel user with the "Support agent" role, sharing email, password
// and name. When one of them exists already, the other is made (and the output says so).
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
    console.error('usage: npm run agent:create -- --email a@b.c --password <8+ characters with a lower-case letter, an upper-case letter and a number> [--name "Ann Agent"]');
    process.exit(2);
  }

  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  const { createStrapi } = require('@strapi/strapi');
  const app = await createStrapi(await require('./compile').compileHelpdesk()).load();
  try {
    const result = await app.plugin('helpdesk').service('staff').createStaffMember({ email: values.email, password, name: values.name });
    console.log(`staff member ${result.email}:`);
    for (const note of result.notes) console.log(`- ${note}`);
  } catch (error) {
    const fields = error.details?.errors?.map((e) => e.message) ?? [];
    console.error(`could not create the agent: ${fields.length ? fields.join('; ') : error.message}`);
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
