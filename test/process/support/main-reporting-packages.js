// The service exactly as `npm start` runs it (dist/src/main.js), except that on SIGUSR2 it prints
// which of the packages only some configurations need it has loaded (optional-packages.process.spec.ts).
const { join, sep } = require('node:path');

const OPTIONAL_PACKAGES = [
  '@eventstore/db-client',
  'ioredis',
  'nodemailer',
  'node-pg-migrate',
  'stripe',
];

process.on('SIGUSR2', () => {
  const files = Object.keys(require.cache);
  const loaded = OPTIONAL_PACKAGES.filter((name) =>
    files.some((file) => file.includes(`${sep}node_modules${sep}${name}${sep}`)),
  );
  console.log(`OPTIONAL_PACKAGES_LOADED ${JSON.stringify(loaded)}`);
});

require(join(__dirname, '../../../dist/src/main.js'));
