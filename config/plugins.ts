import type { Core } from '@strapi/strapi';
import { DENIED_MIME_TYPES, attachmentLimits } from '../src/plugins/helpdesk/server/src/domain/attachment-policy';

const allowedMediaTypes = [
  'image/*',
  'video/*',
  'audio/*',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.*',
  'text/plain',
  'text/csv',
  // raw mails kept by ingestion when they cannot be processed (inbound-email.raw)
  'message/rfc822',
];

const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-dosexec',
  'application/x-sh',
  'text/x-shellscript',
  'application/x-mach-binary',
];

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  'users-permissions': {
    config: {
      jwtManagement: 'refresh',
      sessions: {
        httpOnly: true,
      },
    },
  },
  // Outgoing mail goes through the outbox (src/outbox), which hands each mail to this provider.
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('SMTP_HOST', 'localhost'),
        port: env.int('SMTP_PORT', 587),
        // SMTP_SECURE: TLS from the first byte (port 465); SMTP_STARTTLS: insist on STARTTLS
        secure: env.bool('SMTP_SECURE', false),
        requireTLS: env.bool('SMTP_STARTTLS', false),
        auth: env('SMTP_USERNAME')
          ? { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') }
          : undefined,
        pool: true,
        maxConnections: env.int('SMTP_MAX_CONNECTIONS', 5),
        connectionTimeout: env.int('SMTP_CONNECTION_TIMEOUT_MS', 10_000),
        greetingTimeout: env.int('SMTP_CONNECTION_TIMEOUT_MS', 10_000),
        socketTimeout: env.int('SMTP_SOCKET_TIMEOUT_MS', 60_000),
      },
      settings: {
        defaultFrom: `"${env('SMTP_FROM_NAME', 'Helpdesk')}" <${env('SMTP_FROM', 'support@helpdesk.invalid')}>`,
        defaultReplyTo: env('SMTP_FROM', 'support@helpdesk.invalid'),
      },
    },
  },
  upload: {
    config: {
      // one per-file limit for every upload (REST, admin panel, ticket attachments): ATTACHMENT_MAX_BYTES
      sizeLimit: attachmentLimits(env).maxFileBytes,
      security: {
        allowedTypes: allowedMediaTypes,
        deniedTypes: [...new Set([...deniedTypes, ...DENIED_MIME_TYPES])],
      },
      // Local disk (public/uploads) unless S3_BUCKET names a bucket. S3_ENDPOINT and
      // S3_FORCE_PATH_STYLE are for S3-compatible servers (MinIO, ...); without the key pair the
      // AWS SDK finds credentials itself (instance role, AWS_* variables).
      ...(env('S3_BUCKET')
        ? {
            provider: 'aws-s3',
            providerOptions: {
              s3Options: {
                credentials: env('S3_ACCESS_KEY_ID')
                  ? { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') }
                  : undefined,
                region: env('S3_REGION', 'us-east-1'),
                endpoint: env('S3_ENDPOINT'),
                forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', false),
                params: { Bucket: env('S3_BUCKET') },
              },
            },
          }
        : { provider: 'local' }),
    },
  },
  // /documentation describes the helpdesk's routes too (a plugin's are left out unless listed)
  documentation: {
    config: { 'x-strapi-config': { plugins: ['upload', 'users-permissions', 'helpdesk'] } },
  },
  // the helpdesk, a local plugin (its server is built into its dist/ by scripts/compile.js). Last:
  // its bootstrap reads the roles and settings the plugins above create in theirs.
  helpdesk: {
    enabled: true,
    resolve: './src/plugins/helpdesk',
    // this app is the helpdesk: its accounts follow the helpdesk's policy (off by default in a host app)
    config: { host: { accountPolicy: env.bool('HELPDESK_ACCOUNT_POLICY', true) } },
  },
});

export default config;
