// A step whose shell leaves a process behind outside its process group (`setsid`, a daemon): that
// process holds the output pipes open, and the step must still end when its shell does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

describe('a setsid background process', () => {
  const home = tempHome('handrail-setsid-');
  const pidFile = join(home.root, 'daemon.pid');
  afterAll(() => {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // Never started, or already gone.
    }
  });

  it('does not hold the step open: the run goes on and says a background process outlived the shell', async () => {
    const path = join(home.root, 'daemon.md');
    writeFileSync(
      path,
      `---
id: daemon
title: Start a daemon
version: 1.0.0
---

# Start it

\`\`\`sh run id=start
setsid sh -c 'echo $$ > ${pidFile}; exec sleep 600' &
# Once the pid is written the daemon is in its own session, out of reach of the step's group kill.
while [ ! -s ${pidFile} ]; do sleep 0.05; done
echo started
\`\`\`

# After it

\`\`\`sh run id=after
echo after-ran
\`\`\`
`,
    );
    // The daemon sleeps for 10 minutes: a step that waited for it would hit runCli's 20 s timeout.
    const r = await runCli(['run', path, '--yes'], { cwd: home.root, env: home.env });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('started');
    expect(r.stdout + r.stderr).toMatch(/a background process outlived the shell/);
    expect(r.stdout).toContain('after-ran');
    // The daemon itself is not the step's to end: it is still running.
    expect(() => process.kill(Number(readFileSync(pidFile, 'utf8')), 0)).not.toThrow();
  });
});
