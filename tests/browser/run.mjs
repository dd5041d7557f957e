// Browser-test runner: `node tests/browser/run.mjs [filter]`.
// Starts the static server on a free port and Debian Chromium (via playwright-core), then runs
// every tests/browser/*.test.mjs with node:test in this process. After each test, any console
// error, page error, failed request or HTTP error on any page it opened fails that test.

import { after, afterEach, before } from 'node:test';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closePages, setup, teardown } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`no tests/browser/*.test.mjs matching "${filter}"`);
  process.exit(1);
}

before(setup);
afterEach(async () => {
  const problems = await closePages();
  if (problems.length) throw new Error(`problems on the pages this test opened:\n  ${problems.join('\n  ')}`);
});
after(teardown);

for (const f of files) await import(pathToFileURL(join(here, f)).href);
