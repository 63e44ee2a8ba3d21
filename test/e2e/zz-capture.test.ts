// NOT COMMITTED: drives the emergency rollback at 80x24 in tmux and saves every screen for docs.
import { chmodSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli';
import { startGithubServer } from '../helpers/github-server';
import { setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';

const openTmux = tmuxPerTest();
const TOKEN = 'ghp_captureToken0123456789abcdefABCDxyz';
const GOOD = `sha256:${'600d'.repeat(16)}`;
const BAD = `sha256:${'bad1'.repeat(16)}`;

for (const mode of ['rehearsal', 'live']) {
  it(`captures ${mode}`, { timeout: 600_000 }, async () => {
    const github = await startGithubServer({
      state: {
        tokens: { [TOKEN]: { login: 'oncall', scopes: ['read:packages'] } },
        packages: {
          'acme/app': { visibility: 'public', versions: [
            { id: 2, name: BAD, tags: ['prod', 'sha-badbad1'], created_at: '2026-11-29T03:00:00Z' },
            { id: 1, name: GOOD, tags: ['sha-600d600'], created_at: '2026-11-28T12:00:00Z' },
          ] },
        },
      },
    });
    const { dir, env } = setupRunbook('handrail-capture-', 'x.md', 'x');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker'), `#!/bin/sh
case "$1 $2" in
  "--version ") echo "Docker version 28.2.2, build stand-in" ;;
  "buildx version") echo "github.com/docker/buildx v0.19.3 stand-in" ;;
  "buildx imagetools")
    case "$3" in
      inspect) if [ "$5" = --format ]; then printf '{"digest":"%s"}\\n' "${GOOD}"; else printf 'Name:      %s\\nDigest:    %s\\n' "$4" "${GOOD}"; fi ;;
      create) echo "pushed $5" ;;
    esac ;;
esac
`);
    chmodSync(join(bin, 'docker'), 0o755);
    const docker = join(dir, 'dockercfg');
    mkdirSync(docker);
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': {} } }));
    const t = openTmux(`node ${BIN} run ${join(ROOT, 'runbooks/emergency-rollback.md')} ${mode === 'rehearsal' ? '--dry-run' : ''} --github-api ${github.url} --set OWNER=acme --set IMAGE=app; echo`, {
      cwd: dir, env: { ...env, PATH: `${bin}${delimiter}${process.env.PATH}`, GHCR_PAT: TOKEN, DOCKER_CONFIG: docker }, columns: 80, rows: 24,
    });
    const out = `/tmp/scr/capture-${mode}.txt`;
    writeFileSync(out, '');
    let last = '';
    for (let i = 0; i < 80; i++) {
      await new Promise((r) => setTimeout(r, 2500));
      const screen = t.screen();
      if (screen === last) { t.send('Enter'); continue; }
      last = screen;
      appendFileSync(out, `=====\n${screen}`);
      if (screen.includes('EXIT=')) break;
      if (/Space tick/.test(screen)) t.send('Space');
      else if (screen.includes('Press any key to exit')) t.send('x');
      else t.send('Enter');
    }
    appendFileSync(out, `=====SCROLLBACK\n${execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'main'], { encoding: 'utf8' })}`);
    await github.close();
  });
}
