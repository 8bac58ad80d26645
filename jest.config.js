// Jest runs TypeScript through SWC as native ESM (NestJS 12 and MikroORM 7 are ESM-only).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];
export const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testEnvironment: 'node',
};
export default {
  testTimeout: 60000,
  // One test file at a time (they share the machine's PostgreSQL, Redis and ports), in a worker that is
  // replaced once it holds more than this after a file: in one process for the whole run, native ESM's
  // per-file module graphs (every file boots the api) outgrew the 4 GB heap at ~80 files.
  workerIdleMemoryLimit: '1.5GB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
