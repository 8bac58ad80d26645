// Fault tests (test/faults) kill processes and spawn the compiled worker, so they run only on
// request: `npm run test:faults` (after a build), never as part of `npm test`.
import { common } from './jest.config.js';

export default {
  testTimeout: 180000,
  projects: [{ ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'] }],
};
