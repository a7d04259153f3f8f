// `npm run build:web`: the widgets' three builds and the console's (web/vite.config.ts), their type declarations
// (tsc -p web/tsconfig.lib.json), a package.json that makes dist/web/lib publishable, and the plain
// ESM bundle copied beside the demo so non-React pages can load it from the service
// (/app/widgets/credit-widgets.js). Skipped when the sources have not changed since the last build
// (a hash of web/ and the lockfile in dist/web/.source-hash): the browser tests call this too.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const root = resolve(web, '..');
const out = join(root, 'dist', 'web');
const hashFile = join(out, '.source-hash');

function sourceHash() {
  const hash = createHash('sha256');
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path.slice(root.length)).update(readFileSync(path));
    }
  };
  walk(web);
  hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex');
}

const hash = sourceHash();
const force = process.argv.includes('--force');
if (
  !force &&
  existsSync(hashFile) &&
  readFileSync(hashFile, 'utf8') === hash &&
  existsSync(join(out, 'app', 'index.html')) &&
  existsSync(join(out, 'console', 'index.html'))
) {
  process.stdout.write('build:web: up to date (dist/web)\n');
  process.exit(0);
}

const started = Date.now();
// A production build whoever calls it (jest sets NODE_ENV=test; Vite would emit dev JSX).
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
const configFile = join(web, 'vite.config.ts');
for (const mode of ['app', 'lib', 'mount', 'console'])
  await build({ configFile, mode, logLevel: 'warn' });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(web, 'tsconfig.lib.json')],
  { stdio: 'inherit' },
);

const { version, dependencies, devDependencies } = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
);
const all = { ...dependencies, ...devDependencies };
writeFileSync(
  join(out, 'lib', 'package.json'),
  `${JSON.stringify(
    {
      name: '@credits-ledger/widgets',
      version,
      description:
        'Credit widgets: header balance, purchase modal with Stripe embedded Checkout, history, cost preview',
      type: 'module',
      sideEffects: false,
      exports: {
        '.': { types: './types/index.d.ts', import: './index.js' },
        './mount': { types: './types/mount.d.ts', import: './mount.js' },
      },
      peerDependencies: { react: all.react, 'react-dom': all['react-dom'] },
      dependencies: {
        '@stripe/stripe-js': all['@stripe/stripe-js'],
        'canvas-confetti': all['canvas-confetti'],
        'openapi-fetch': all['openapi-fetch'],
      },
    },
    null,
    2,
  )}\n`,
);
// tsc emits no copy of a .d.ts input: the generated API types go beside the declarations using them.
mkdirSync(join(out, 'lib', 'types', 'api'), { recursive: true });
copyFileSync(
  join(web, 'src', 'api', 'schema.d.ts'),
  join(out, 'lib', 'types', 'api', 'schema.d.ts'),
);
mkdirSync(join(out, 'app', 'widgets'), { recursive: true });
copyFileSync(join(out, 'lib', 'mount.js'), join(out, 'app', 'widgets', 'credit-widgets.js'));
writeFileSync(hashFile, hash);
process.stdout.write(
  `build:web: dist/web built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
