/**
 * One jest run covers every package. Tests are TypeScript run through ts-jest in ESM mode;
 * workspace packages are mapped to their sources so tests never need a build first.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  roots: ['<rootDir>/packages'],
  testMatch: ['**/test/**/*.test.ts', '**/test/**/*.test.tsx'],
  moduleNameMapper: {
    '^@tui-chat/(protocol|server|client)$': '<rootDir>/packages/$1/src/index.ts',
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
