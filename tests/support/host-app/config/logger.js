module.exports = ({ env }) => ({
  // the tests set LOG_LEVEL=warn
  level: env('LOG_LEVEL', 'http'),
  // no update check: the test machine's network is closed
  updates: { enabled: false },
});
