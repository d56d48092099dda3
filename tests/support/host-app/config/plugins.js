// The helpdesk as an installed package: found through package.json's dependencies, no `resolve`.
module.exports = ({ env }) => ({
  'users-permissions': { config: { jwtSecret: env('JWT_SECRET') } },
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('HOST_APP_SMTP_HOST', '127.0.0.1'),
        port: env.int('HOST_APP_SMTP_PORT', 25),
        secure: false,
        ignoreTLS: true,
      },
      settings: {
        defaultFrom: 'support@host-app.test',
        defaultReplyTo: 'support@host-app.test',
      },
    },
  },
  helpdesk: {
    enabled: true,
    // the plugin's own settings, set here rather than through its environment variables
    config: {
      outbox: { deliveryEnabled: true },
      mail: { from: 'support@host-app.test', fromName: 'Host App Support' },
    },
  },
});
