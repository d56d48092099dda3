// What every bench's Strapi child runs with: production mode, fixed throw-away secrets, no telemetry.
module.exports = {
  BENCH_STRAPI_ENV: {
    NODE_ENV: 'production',
    APP_KEYS: 'benchKeyA,benchKeyB',
    API_TOKEN_SALT: 'bench-api-token-salt',
    ADMIN_JWT_SECRET: 'bench-admin-jwt-secret',
    TRANSFER_TOKEN_SALT: 'bench-transfer-token-salt',
    JWT_SECRET: 'bench-jwt-secret',
    ENCRYPTION_KEY: 'bench-encryption-key',
    STRAPI_TELEMETRY_DISABLED: 'true',
  },
};
