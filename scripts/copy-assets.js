#!/usr/bin/env node
// Part of `npm run build`: tsc compiles only TypeScript, so the files the code reads at run time
// beside itself (the email templates, src/notifications/email/templates/) are copied into dist/
// at the same place. One list: a new folder of assets is one more line.
'use strict';

const { cpSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const ASSET_FOLDERS = ['src/notifications/email/templates'];

for (const folder of ASSET_FOLDERS) {
  const from = join(ROOT, folder);
  if (!existsSync(from)) throw new Error(`copy-assets: ${folder} does not exist`);
  cpSync(from, join(ROOT, 'dist', folder), { recursive: true });
}
