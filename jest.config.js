// One jest run across the monorepo: a project per package, plus the cross-package tests in test/.
// ts-jest transpiles only (tsconfig has isolatedModules); `npm run typecheck` does the type checking.
const fs = require('fs')
const path = require('path')

const base = (name, rootDir) => ({
  displayName: name,
  rootDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/__tests__/**/*.test.ts', '<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }] },
  setupFilesAfterEnv: [path.join(__dirname, 'jest.setup.ts')]
})

const projects = [
  base('tracking-plan', path.join(__dirname, 'packages/tracking-plan')),
  base('sandbox', path.join(__dirname, 'packages/sandbox')),
  base('destinations', path.join(__dirname, 'packages/destinations')),
  base('runner', path.join(__dirname, 'packages/runner')),
  base('functions', path.join(__dirname, 'packages/functions')),
  base('scripts', path.join(__dirname, 'scripts')),
  base('e2e', path.join(__dirname, 'test'))
]

module.exports = {
  // A global option (ignored inside a project). End-to-end tests start servers and replay journeys; on a busy
  // 2-core machine jest's 5 s default is not enough. Speed is measured by `npm run bench`, never by a timeout.
  testTimeout: 60000,
  // Two worker processes even on 2 cores (jest's default there is one process running every file in band, which
  // grew past 5 GB with the reliability suite and slowed to a crawl), each replaced once it holds over 1.5 GB.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB',
  // A package without tests yet is left out rather than failing the run.
  projects: projects.filter((p) => fs.existsSync(p.rootDir))
}
