const path = require('path');

// Always its own SQLite file, whatever DATABASE_CLIENT the test run uses for the main app.
module.exports = () => ({
  connection: {
    client: 'sqlite',
    connection: { filename: path.join(__dirname, '..', '.tmp', 'data.db') },
    useNullAsDefault: true,
  },
});
