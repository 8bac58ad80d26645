// Dependency rules for libs/ (run by `npm run lint:deps`, part of `npm run lint`).
// The libraries, bottom to top. A library may import only the ones before it; adding a library is one edit here.
const LAYERS = [
  'common',
  'platform',
  'identity',
  'organisations',
  'matching',
  'wellbeing',
  'volunteers',
  'offers',
  'arrivals',
  'hours',
  'operations',
  'web',
];

const known = LAYERS.join('|');
// Spec files may reach into internals (and into other libraries' internals) to test them.
const notSpec = '\\.spec\\.ts$';

// One rule per library, forbidding imports of every library above it. With a total order every cycle between
// libraries contains at least one upward import, so these rules catch every library cycle, however long.
const layerRules = LAYERS.slice(0, -1).map((lib, i) => ({
  name: `layer-order-${lib}`,
  comment: `libs/${lib} may import only the libraries below it (${LAYERS.slice(0, i).join(', ') || 'none'}): dependencies point one way, down the order in LAYERS.`,
  severity: 'error',
  from: { path: `^libs/${lib}/`, pathNot: notSpec },
  to: { path: `^libs/(${LAYERS.slice(i + 1).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-deep-import',
      // Another library's index.ts is its public surface; files behind it may move without notice.
      comment:
        "Import another library only through its index.ts (e.g. '../platform/index.js'); the parts of one library (such as libs/platform/<part>/) import each other relatively.",
      severity: 'error',
      from: { path: '^libs/([^/]+)/', pathNot: notSpec },
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/$1/', '^libs/[^/]+/index\\.ts$'] },
    },
    {
      name: 'libs-not-to-src-or-test',
      // Libraries are what the applications in src/ and the tests in test/ are built from, never the other way.
      comment: 'libs/ must not import src/ (the applications) or test/.',
      severity: 'error',
      from: { path: '^libs/', pathNot: notSpec },
      to: { path: '^(src|test)/' },
    },
    {
      name: 'libs-specs-only-to-test-support',
      // A spec may share the test helpers in test/support (e.g. fast-check arbitraries), nothing else outside libs/.
      comment: 'A spec in libs/ may import test/support/, but not src/ or the rest of test/.',
      severity: 'error',
      from: { path: `^libs/.*${notSpec}` },
      to: { path: '^(src|test)/', pathNot: '^test/support/' },
    },
    {
      name: 'unknown-library-imports',
      // A library missing from LAYERS would escape the layer rules; this and the next two rules report it.
      comment: 'This file is in a library that is not in LAYERS in .dependency-cruiser.cjs: add the library there.',
      severity: 'error',
      from: { path: '^libs/', pathNot: `^libs/(${known})/` },
      to: {},
    },
    {
      name: 'unknown-library-imported',
      // Catches a file of an unknown library that imports nothing but is imported.
      comment: 'This file imports a library that is not in LAYERS in .dependency-cruiser.cjs: add the library there.',
      severity: 'error',
      from: {},
      to: { path: '^libs/', pathNot: `^libs/(${known})/` },
    },
    {
      name: 'unknown-library-orphan',
      // Catches a file of an unknown library that neither imports nor is imported.
      comment: 'This file is in a library that is not in LAYERS in .dependency-cruiser.cjs: add the library there.',
      severity: 'error',
      from: { orphan: true, path: '^libs/', pathNot: `^libs/(${known})/` },
      to: {},
    },
    {
      name: 'no-circular',
      // A cycle between files makes the import order (and thus decorator and DI metadata) fragile.
      comment: 'This import is part of a cycle between files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      // If an import does not resolve, the rules above cannot see where it points, so they would pass silently.
      comment: 'This import does not resolve to a file or package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: they tie the libraries together just the same.
    tsPreCompilationDeps: true,
    // Resolve imports with the compiler's own settings (dependency-cruiser maps the `.js` suffix to the `.ts` file).
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
