// Real SSH keys and a real ssh-agent for tests (openssh-client): nothing here is mocked.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface TestKey {
  /** The private key file; `${path}.pub` is the public one. */
  path: string;
  /** `ssh-ed25519 AAAA…` without the comment. */
  line: string;
  fingerprint: string;
}

/** A real ed25519 key; with a passphrase, one KDF round (-a 1) keeps making and unlocking it quick. */
export function makeKey(dir: string, name: string, passphrase = ''): TestKey {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-a', '1', '-C', `${name}@test`, '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { path, line, fingerprint };
}

export interface TestAgent {
  socket: string;
  pid: number;
  /** Adds a key, typing its passphrase through SSH_ASKPASS (never a terminal). */
  add(key: TestKey, passphrase?: string): void;
  stop(): void;
}

export function startAgent(dir: string): TestAgent {
  const socket = join(dir, 'agent.sock');
  const out = execFileSync('ssh-agent', ['-s', '-a', socket], { encoding: 'utf8' });
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
  return {
    socket,
    pid,
    add(key, passphrase = '') {
      const askpass = join(dir, 'askpass.sh');
      writeFileSync(askpass, `#!/bin/sh\nprintf '%s\\n' '${passphrase}'\n`);
      chmodSync(askpass, 0o700);
      const added = spawnSync('setsid', ['-w', 'ssh-add', key.path], {
        env: { ...process.env, SSH_AUTH_SOCK: socket, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      if (added.status !== 0) throw new Error(`ssh-add failed: ${added.stderr}`);
    },
    stop() {
      try {
        process.kill(pid);
      } catch {
        // Already gone (a test stopped it on purpose).
      }
    },
  };
}

/**
 * ssh-agents for the tests of one file: `agent()` starts one in `folder()` and makes it the current
 * agent (SSH_AUTH_SOCK); after each test every agent started is stopped and SSH_AUTH_SOCK is put back.
 */
export function agentsPerTest(folder: () => string): { agent(): TestAgent; noAgent(): void } {
  const started: TestAgent[] = [];
  const saved = process.env.SSH_AUTH_SOCK;
  afterEach(() => {
    for (const a of started.splice(0)) a.stop();
    if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = saved;
  });
  return {
    agent() {
      const a = startAgent(mkdtempSync(join(folder(), 'agent-')));
      started.push(a);
      process.env.SSH_AUTH_SOCK = a.socket;
      return a;
    },
    noAgent() {
      delete process.env.SSH_AUTH_SOCK;
    },
  };
}
