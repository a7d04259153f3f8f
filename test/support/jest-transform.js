// Jest's module loader is CommonJS, while NestJS 12 and several of its dependencies ship
// ES modules only. This transformer compiles our TypeScript and any ES-module file found
// under node_modules to CommonJS with swc; CommonJS dependency files pass through untouched.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});

// ES modules often rebuild __dirname/__filename from import.meta.url; CommonJS already
// defines both, and redeclaring them is a syntax error once compiled.
const esmPathShim = /^\s*const\s+(__dirname|__filename)\s*=.*$/gm;

const esmSyntax = /^\s*(import\s*[\w{*'"]|export\s+[\w{*]|export\s+default)/m;

function isCommonJsDependency(source, filename) {
  if (!filename.includes('/node_modules/')) return false;
  if (filename.endsWith('.mjs')) return false;
  return !esmSyntax.test(source) && !source.includes('import.meta');
}

module.exports = {
  ...swc,
  process(source, filename, options) {
    if (isCommonJsDependency(source, filename)) return { code: source };
    return swc.process(source.replace(esmPathShim, ''), filename, options);
  },
  getCacheKey(source, filename, options) {
    return `${swc.getCacheKey(source, filename, options)}:v2`;
  },
};
