// Runs every *.test.ts under test/ and src/ with Node's test runner, TypeScript through tsx.
// In CI the PostgreSQL suites are not optional: a missing TEST_DATABASE_URL fails the run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

if (process.env.CI && !process.env.TEST_DATABASE_URL) {
  console.error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests would not run.');
  process.exit(1);
}
console.log(`engines: sqlite${process.env.TEST_DATABASE_URL ? ', postgres' : ' (set TEST_DATABASE_URL to add postgres)'}`);

const files = ['src', 'test'].flatMap((dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f)),
);
const filter = process.argv.slice(2);
const selected = filter.length > 0 ? files.filter((f) => filter.some((part) => f.includes(part))) : files;
// The spec reporter, even when the output is not a terminal: it ends with every failed or
// cancelled test and its file, so that the tail of a CI log says what went wrong.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);
