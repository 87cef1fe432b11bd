/**
 * One jest run covers every package. Tests are TypeScript run through ts-jest in ESM mode;
 * workspace packages are mapped to their sources, so unit and server tests run from the source.
 * The end-to-end and bench tests start the built `tui-chat` and bench, so `npm test` builds first
 * (its typecheck step); type errors are caught there too (ts-jest with isolatedModules does not).
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  roots: ['<rootDir>/packages'],
  testMatch: ['**/test/**/*.test.ts', '**/test/**/*.test.tsx'],
  moduleNameMapper: {
    '^@tui-chat/(protocol|server|client|testkit)$': '<rootDir>/packages/$1/src/index.ts',
    '^@tui-chat/protocol/(fence|schemas|server-config)$': '<rootDir>/packages/protocol/src/$1.ts',
    '^@tui-chat/client/settings$': '<rootDir>/packages/client/src/settings/index.ts',
    '^@tui-chat/client/tui$': '<rootDir>/packages/client/src/tui.ts',
    '^@tui-chat/server/config$': '<rootDir>/packages/server/src/config.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: '<rootDir>/tsconfig.json',
        diagnostics: { ignoreCodes: [151002] },
      },
    ],
  },
  testTimeout: 30000,
};
