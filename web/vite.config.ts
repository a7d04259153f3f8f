import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

/**
 * Four builds of web/ (web/build.mjs runs them; `vite build web --mode <name>` runs one):
 * - app:   the demo shell, served by the service at /app/ (dist/web/app);
 * - console: the operators' and finance console, served at /console/ (dist/web/console);
 * - lib:   the React package entry, React left to the host app (dist/web/lib/index.js);
 * - mount: one self-contained ESM file for pages without React (dist/web/lib/mount.js).
 * No @vitejs/plugin-react: esbuild's automatic JSX runtime is all the widgets need (no Fast
 * Refresh). Nothing is fetched at run time but Stripe.js, and only when a purchase starts.
 */
const web = import.meta.dirname;
const out = resolve(web, '..', 'dist', 'web');
const shared: UserConfig = {
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'react', jsxDev: false },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
};

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'lib' || mode === 'mount')
    return {
      ...shared,
      build: {
        outDir: resolve(out, 'lib'),
        emptyOutDir: mode === 'lib',
        sourcemap: true,
        lib: {
          entry: resolve(web, 'src', mode === 'lib' ? 'index.ts' : 'mount.tsx'),
          formats: ['es'],
          fileName: () => (mode === 'lib' ? 'index.js' : 'mount.js'),
        },
        rollupOptions:
          mode === 'lib'
            ? { external: [/^react($|\/)/, /^react-dom($|\/)/] }
            : { output: { inlineDynamicImports: true } },
      },
    };
  if (mode === 'console')
    return {
      ...shared,
      root: resolve(web, 'console'),
      base: '/console/',
      build: { outDir: resolve(out, 'console'), emptyOutDir: true, sourcemap: true },
    };
  return {
    ...shared,
    root: resolve(web, 'app'),
    base: '/app/',
    build: { outDir: resolve(out, 'app'), emptyOutDir: true, sourcemap: true },
  };
});
