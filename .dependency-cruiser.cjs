// The layers, checked by dependency-cruiser (`npm run lint:deps`): which folder may import which.
// docs/architecture.md describes the layers; these rules keep the code from drifting away from it.
//
//   domain      src/ledger: the decider, pure; it imports nothing outside itself
//               src/pricing/rate-card: the rate card's decider and formula, pure likewise
//   adapters    src/event-store/{postgres,eventstoredb,in-memory}, src/database: storage
//   interfaces  controllers (*.controller.ts) and the HTTP kernel (src/http)
//   application everything else in src/ (features, the composition in src/app, the CLI)
'use strict';

/** What an adapter is: the event store's adapters and the database (pool, embedded PostgreSQL). */
const ADAPTERS = '^src/(event-store/(postgres|eventstoredb|in-memory)|database)/';
/** The event store's adapters: what an interface must never reach for. */
const EVENT_STORE_ADAPTERS = '^src/event-store/(postgres|eventstoredb|in-memory)/';
/** Application and interface code: features, the HTTP kernel, the composition, the CLI, projections. */
const APPLICATION_AND_INTERFACES =
  '^(src/(accounts|history|audit|payments|pricing|operations|expiry|live-balance|customer-tokens|notifications|reports|http|app|cli)/|projections/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'web-talks-to-the-service-over-http',
      severity: 'error',
      comment:
        'The widgets (web/) run in a browser: they reach the service through its REST API only ' +
        '(UI.md), never by importing its code, and the service never imports them (it serves the build).',
      from: { path: '^web/' },
      to: { path: '^(src|projections|test|bench|scripts)/' },
    },
    {
      name: 'service-does-not-import-web',
      severity: 'error',
      comment: 'The service serves the built widgets (dist/web); it does not import their sources.',
      from: { path: '^(src|projections)/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle: these modules can only be understood, tested and changed together. Move what both ' +
        'need into a third module, or let one side depend on an interface the other implements.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment:
        'Two folders that import each other (through any of their modules) are one feature in two ' +
        'places, or a kernel that knows its features: let the dependency point one way only.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-imports-nothing-outside',
      severity: 'error',
      comment:
        'The domain (src/ledger) is pure: no framework, no storage, no Node built-ins, no other ' +
        'folder. Everything it needs comes in as plain values.',
      from: { path: '^src/ledger/' },
      to: { pathNot: '^src/ledger/' },
    },
    {
      name: 'pricing-domain-is-pure',
      severity: 'error',
      comment:
        'The pricing domain (src/pricing/rate-card: the card, its validation, decide/evolve, the ' +
        "formula) is pure like the ledger: no framework, no storage, no Node built-ins. The ledger's " +
        'pure limits are the only thing it may use from outside.',
      from: { path: '^src/pricing/rate-card/' },
      to: { pathNot: '^src/(pricing/rate-card|ledger)/' },
    },
    {
      name: 'adapters-not-to-application',
      severity: 'error',
      comment:
        'An adapter (event store, database) is imported by the application, never the other way: ' +
        'it knows nothing of features, HTTP, the composition or the CLI.',
      from: { path: ADAPTERS },
      to: { path: APPLICATION_AND_INTERFACES },
    },
    {
      name: 'event-store-knows-no-domain',
      severity: 'error',
      comment:
        'The event store (port and adapters) stores streams of events for any domain: it does not ' +
        'import the ledger. What it needs (a stream prefix) is passed in.',
      from: { path: '^src/event-store/' },
      to: { path: '^src/ledger/' },
    },
    {
      name: 'interfaces-not-to-adapters',
      severity: 'error',
      comment:
        'Controllers and the HTTP kernel talk to the application (commands, queries, ports), never ' +
        'to an event store adapter or to the pg driver.',
      from: { path: ['\\.controller\\.ts$', '^src/http/'] },
      to: { path: [EVENT_STORE_ADAPTERS, '(^|/)node_modules/(@types/)?pg/'] },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'Code that ships (src/, projections/) must not need a devDependency: `npm ci --omit=dev` ' +
        'leaves those out of the image. Type-only packages (@types/*) are fine.',
      from: { path: '^(src|projections)/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: 'node_modules/@types/' },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: 'An npm package used but not listed in package.json: add it (or stop using it).',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'A module nothing imports: use it or remove it. Entry points, tests and the files tools ' +
        'load by name are listed as exceptions here.',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$', // declarations
          '(^|/)\\.[^/]+\\.(js|cjs|mjs)$', // dotfile configs (this one)
          '\\.spec\\.ts$', // tests: jest finds them
          '^src/main\\.ts$', // the service (npm start)
          '^src/cli/main\\.ts$', // the CLI (npm run ledger)
          '^bench/main\\.ts$', // the benchmark (npm run bench)
          '^bench/children/', // forked by file name
          '^test/support/(esdb-)?global-(setup|teardown)\\.ts$', // named in the jest configs
          '^test/support/jest-transform\\.js$', // named in the jest configs
          '^scripts/', // run by npm scripts
        ],
      },
      to: {},
    },
  ],
  options: {
    // Type-only imports count: a cycle through types is still two modules that need each other.
    tsPreCompilationDeps: true,
    // Resolve as the compiler does (paths, module resolution).
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|node_modules)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
