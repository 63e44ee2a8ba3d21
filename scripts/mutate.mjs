// `npm run mutate`: Stryker over the modules named in stryker.config.mjs. It runs without the OS
// keychain (HANDRAIL_NO_KEYCHAIN=1, private XDG folders): keytar, a native module, does not survive
// being reloaded for mutant after mutant, and no mutant may ever reach the operator's own keyring.
// The keychain paths are exercised by `npm test` instead. Temporary files go to /dev/shm when there
// is one: the journal's tests sync to disk at every step, and mutant after mutant of disk waits is
// what would make a run take hours on a busy machine. Extra arguments go to Stryker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const root = mkdtempSync(join(base, 'handrail-mutate-'));
// NODE_COMPILE_CACHE: every mutant's test files start a fresh worker thread that would compile
// vitest's own runtime again; with Node's compile cache they load it already compiled (a third less
// CPU for each test file a mutant runs).
const env = {
  ...process.env,
  TMPDIR: root,
  HANDRAIL_NO_KEYCHAIN: '1',
  XDG_STATE_HOME: join(root, 'state'),
  XDG_CONFIG_HOME: join(root, 'config'),
  XDG_DATA_HOME: join(root, 'data'),
  NODE_COMPILE_CACHE: join(root, 'compile-cache'),
};
delete env.HANDRAIL_TEST_KEYRING;
for (const dir of ['state', 'config', 'data']) mkdirSync(join(root, dir));
const stryker = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
rmSync(root, { recursive: true, force: true });
process.exit(stryker.status ?? 1);
