// A shared records folder (mode 1777, like /tmp) where another user's process plants symlinks at the
// names handrail would write — the record and its temporary file — pointing at a file of the
// operator's: handrail must write its record beside them and never through them.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

/** Plants links for every record name of the next minute, once the step has said handrail's pid. */
const PLANTER = `
const { existsSync, readFileSync, symlinkSync, writeFileSync } = require('node:fs');
const { PIDFILE, VICTIM, DIR, MARK } = process.env;
const wait = () => (existsSync(PIDFILE) && readFileSync(PIDFILE, 'utf8').trim() ? plant() : setTimeout(wait, 50));
function plant() {
  const pid = readFileSync(PIDFILE, 'utf8').trim();
  for (let i = 0; i < 60; i++) {
    const time = new Date(Date.now() + i * 1000).toISOString().replace(/\\.\\d+Z$/, 'Z').replace(/[-:]/g, '');
    const name = 'planted-' + time + '-completed.json';
    symlinkSync(VICTIM, DIR + '/' + name + '.' + pid + '.tmp');
    symlinkSync(DIR + '/../created-through-link', DIR + '/' + name);
  }
  writeFileSync(MARK, '');
}
wait();
`;

describe('planted symlinks in a shared records folder', () => {
  it('neither overwrite the file they point at nor create one through a dangling link', async () => {
    const home = tempHome('handrail-links-');
    const dir = join(home.root, 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const victim = join(home.root, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const pidFile = join(home.root, 'handrail.pid');
    const mark = join(home.root, 'planted');
    const planter = spawn(process.execPath, ['-e', PLANTER], {
      env: { ...process.env, PIDFILE: pidFile, VICTIM: victim, DIR: dir, MARK: mark },
      stdio: 'ignore',
    });
    const planted = new Promise((resolve) => planter.on('exit', resolve));

    const path = join(home.root, 'planted.md');
    writeFileSync(
      path,
      `---
id: planted
title: Planted links
version: 1.0.0
---

# Wait for the links

\`\`\`sh run id=wait
echo $PPID > ${pidFile}
n=0; while [ ! -e ${mark} ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
echo links-planted
\`\`\`
`,
    );
    const r = await runCli(['run', path, '--yes', '--record-dir', dir], { cwd: home.root, env: home.env });
    await planted;
    expect(r.stdout).toContain('links-planted');
    expect(r.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(existsSync(join(home.root, 'created-through-link'))).toBe(false);
    const record = /Record: (.+)/.exec(r.stdout)?.[1];
    expect(record).toBeDefined();
    expect(lstatSync(record!).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(record!, 'utf8'))).toHaveProperty('payload');
    // No temporary file is left behind, and every planted link is still just a link.
    const names = readdirSync(dir);
    expect(names.filter((n) => lstatSync(join(dir, n)).isFile())).toEqual([record!.slice(dir.length + 1)]);
    const verify = await runCli(['verify', record!], { cwd: home.root, env: home.env });
    expect(verify.code).toBe(0);
  });
});
