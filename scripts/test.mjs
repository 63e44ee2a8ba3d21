// `npm test`: builds the bundle (e2e tests run the real bin/handrail.js), then runs vitest inside a
// private D-Bus session with a fresh, unlocked gnome-keyring, so keychain tests use the real thing
// and never touch the operator's own keyring. Ends with one plain line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

if (!process.env.HANDRAIL_TEST_SESSION) {
  const root = mkdtempSync(join(tmpdir(), 'handrail-test-'));
  const env = {
    ...process.env,
    HANDRAIL_TEST_SESSION: '1',
    HANDRAIL_TEST_ROOT: root,
    XDG_DATA_HOME: join(root, 'data'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_CONFIG_HOME: join(root, 'config'),
  };
  for (const dir of ['data', 'state', 'config']) mkdirSync(join(root, dir), { recursive: true });
  let status;
  if (has('dbus-run-session') && has('gnome-keyring-daemon')) {
    env.HANDRAIL_TEST_KEYRING = '1';
    const script = 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec node scripts/test.mjs "$@"';
    status = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...args], { stdio: 'inherit', env }).status;
  } else {
    process.stderr.write('note: dbus-run-session or gnome-keyring-daemon is missing; the keychain tests will fail.\n');
    status = spawnSync(process.execPath, ['scripts/test.mjs', ...args], { stdio: 'inherit', env }).status;
  }
  rmSync(root, { recursive: true, force: true });
  process.exit(status ?? 1);
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const report = join(process.env.HANDRAIL_TEST_ROOT ?? tmpdir(), 'vitest-report.json');
const vitest = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
  { stdio: 'inherit' },
);
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  process.stdout.write(`\n${result.numPassedTests} passed, ${result.numFailedTests} failed, ${skipped} skipped\n`);
  if (result.numTotalTests === 0) process.exit(1);
} catch {
  process.stdout.write('\nno test report was written\n');
}
process.exit(vitest.status ?? 1);
