// Jest runs the TypeScript sources as native ES modules (inversify 8 and MikroORM 7 ship only ESM),
// hence `node --experimental-vm-modules` in the npm scripts. SWC strips types and compiles the legacy
// decorators that inversify's @inject needs; it does not type-check (`npm run lint` does).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true },
      target: 'es2024',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  // Sources import './x.js' (what Node needs at run time); in tests that name the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

// Tests that need a real Kafka broker, MySQL server or Redis live in these folders of their tier.
const realServerTests = [
  '/test/integration/kafka/',
  '/test/integration/mysql/',
  '/test/integration/redis/',
  '/test/e2e/kafka/',
  '/test/e2e/redis/',
];

// The Kafka Lab opened in Chromium against the real broker (playwright-core, Debian's Chromium).
const browserProject = (displayName, folder) => ({
  ...shared,
  displayName,
  testMatch: [`<rootDir>/test/${folder}/**/*.test.ts`],
  setupFilesAfterEnv: ['<rootDir>/test/support/servers/longer-timeouts.ts'],
  // The servers' global setup, then Chromium: without it the tests skip and say how to install it.
  globalSetup: '<rootDir>/test/support/browser/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/servers/global-teardown.ts',
});

// The three-broker cluster runs only in CI's demos stage, so its browser test (a stopped leader's
// partitions get a new leader) runs only when asked for: LAB_CLUSTER_TESTS=true (see .ci/run).
const clusterProjects =
  process.env.LAB_CLUSTER_TESTS === 'true' ? [browserProject('browser-cluster', 'browser-cluster')] : [];

/** @type {import('jest').Config} */
export default {
  // One test file at a time: the real-server tests share one broker, and a fault test stops it.
  maxWorkers: 1,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, displayName: 'architecture', testMatch: ['<rootDir>/test/architecture/**/*.test.ts'] },
    // The house around the code: docker-compose.yml against .env.example, the Node 24 launcher,
    // workshop:start's branch, the tooling's shared helpers.
    { ...shared, displayName: 'tooling', testMatch: ['<rootDir>/test/tooling/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testPathIgnorePatterns: realServerTests,
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      testPathIgnorePatterns: realServerTests,
    },
    {
      ...shared,
      displayName: 'servers',
      testMatch: realServerTests.map((folder) => `<rootDir>${folder}**/*.test.ts`),
      setupFilesAfterEnv: ['<rootDir>/test/support/servers/longer-timeouts.ts'],
      // Finds Kafka, MySQL and Redis (environment, services scripts, or testcontainers), or explains the skip.
      globalSetup: '<rootDir>/test/support/servers/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/servers/global-teardown.ts',
    },
    browserProject('browser', 'browser'),
    ...clusterProjects,
  ],
};
