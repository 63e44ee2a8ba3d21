// ssh-keygen and ssh-add, run the way git runs them for SSH signing. Never interactive: no
// controlling terminal (setsid) and no askpass, so a key that needs a passphrase fails at once
// instead of prompting over the TUI or hanging an unattended run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandrailError } from '../core/errors';
import { SSH_NAMESPACE } from './ssh-format';

const NOT_INSTALLED = 'ssh-keygen is not installed; install OpenSSH (the openssh-client package) to sign or check records with SSH keys.';

function quietEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'LANG', 'LC_ALL', 'TMPDIR'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  env.SSH_ASKPASS_REQUIRE = 'never';
  return env;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: 'ssh-keygen' | 'ssh-add', args: string[], input: Buffer | string = '', timeoutMs = 60_000): Promise<Ran> {
  // Loaded when first needed: execa and its dependencies are a tenth of a run's start-up.
  const { execa } = await import('execa');
  const result = await execa(command, args, {
    input,
    env: quietEnv(),
    extendEnv: false,
    detached: true,
    reject: false,
    timeout: timeoutMs,
    encoding: 'utf8',
    stripFinalNewline: false,
  });
  if ((result as { code?: string }).code === 'ENOENT')
    throw new HandrailError(
      command === 'ssh-keygen' ? NOT_INSTALLED : 'ssh-add is not installed; install OpenSSH (the openssh-client package).',
    );
  if (result.timedOut) return { code: 124, stdout: '', stderr: `${command} did not finish within ${timeoutMs / 1000}s` };
  return { code: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/**
 * ssh-keygen's reason for failing, from what it wrote to stderr: its last meaningful line, or the
 * line that says a private key file is open to others (the lines after it only say it was ignored).
 * A passphrase prompt with no terminal behind it is cut off the line it shares with the reason.
 */
export function keygenReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^Enter passphrase[^:]*:/, '').trim())
    .filter((l) => l && l !== 'Signing data on standard input');
  return (lines.find((l) => / are too open\.?$/.test(l)) ?? lines.at(-1) ?? 'no reason given').replace(/\.$/, '');
}

/** Files ssh-keygen needs (signature, allowed signers, a literal key), in a private temp folder removed afterwards. */
async function withFiles<T>(files: Record<string, string>, fn: (paths: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-ssh-'));
  try {
    const paths: Record<string, string> = {};
    for (const [name, text] of Object.entries(files)) writeFileSync((paths[name] = join(dir, name)), text, { mode: 0o600 });
    return await fn(paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `ssh-keygen -Y sign -n handrail-record` (or another namespace: approvals use handrail-approval) over `data`: with `keyFile` (a public or private key file,
 * as git's user.signingkey), or with `literal` (a public key line whose private half is in the agent).
 * Returns the armored signature; throws HandrailError with ssh-keygen's reason.
 */
export async function sshSign(
  data: Buffer,
  key: { keyFile: string } | { literal: string },
  namespace: string = SSH_NAMESPACE,
): Promise<string> {
  const sign = async (file: string, agentOnly: boolean) => {
    const ran = await run('ssh-keygen', ['-Y', 'sign', '-n', namespace, ...(agentOnly ? ['-U'] : []), '-f', file], data);
    if (ran.code !== 0 || !ran.stdout.includes('-----BEGIN SSH SIGNATURE-----'))
      throw new HandrailError(`ssh-keygen could not sign: ${keygenReason(ran.stderr)}`);
    return ran.stdout.trim() + '\n';
  };
  if ('keyFile' in key) return sign(key.keyFile, false);
  return withFiles({ 'key.pub': `${key.literal}\n` }, (paths) => sign(paths['key.pub']!, true));
}

/**
 * `ssh-keygen -Y verify`: whether `armored` is a good signature over `data` by a key that
 * `allowedSigners` (git's format, text) lists for `principal` in the handrail-record namespace.
 */
export async function sshVerify(options: {
  allowedSigners: string;
  principal: string;
  armored: string;
  data: Buffer;
  namespace?: string;
}): Promise<{ ok: boolean; message: string }> {
  return withFiles({ allowed: options.allowedSigners, sig: options.armored }, async (paths) => {
    const ran = await run(
      'ssh-keygen',
      ['-Y', 'verify', '-f', paths.allowed!, '-I', options.principal, '-n', options.namespace ?? SSH_NAMESPACE, '-s', paths.sig!],
      options.data,
    );
    return ran.code === 0 ? { ok: true, message: ran.stdout.trim() } : { ok: false, message: keygenReason(`${ran.stdout}\n${ran.stderr}`) };
  });
}

/** `ssh-keygen -Y find-principals`: who an allowed-signers file lists for the signature's key. */
export async function sshFindPrincipals(options: { allowedSigners: string; armored: string }): Promise<string[]> {
  return withFiles({ allowed: options.allowedSigners, sig: options.armored }, async (paths) => {
    const ran = await run('ssh-keygen', ['-Y', 'find-principals', '-n', SSH_NAMESPACE, '-f', paths.allowed!, '-s', paths.sig!]);
    return ran.code === 0
      ? ran.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : [];
  });
}

/** Public key lines ssh-agent holds, or undefined when there is no agent to ask. */
export async function agentPublicKeys(): Promise<string[] | undefined> {
  if (!process.env.SSH_AUTH_SOCK) return undefined;
  const ran = await run('ssh-add', ['-L'], '', 10_000);
  // 1: the agent holds no keys; 2: no agent answers at SSH_AUTH_SOCK.
  if (ran.code === 1) return [];
  if (ran.code !== 0) return undefined;
  return ran.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
