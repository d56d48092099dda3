module.exports = ({ env }) => ({
  host: '127.0.0.1',
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS') },
  // the test runs the helpdesk's scheduled work itself
  cron: { enabled: false },
});
