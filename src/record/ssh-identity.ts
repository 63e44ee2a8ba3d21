// The operator's SSH signing key, found the way git finds it for signed commits (SPEC §6.1):
// HANDRAIL_SSH_SIGNING_KEY, else `gpg.format = ssh` with `user.signingkey` (a key file, public or
// private, or a literal `key::ssh-…`). Before step 1 it is checked that the key will sign at the
// end without asking anyone: held by ssh-agent, or an unencrypted key file that signs a test message.
// handrail never reads a private key's secret part: ssh-keygen does the signing.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { HandrailError } from '../core/errors';
import { opensshPrivateKeyInfo, parsePublicKeyLine, type SshPublicKey } from './ssh-format';
import { agentPublicKeys, sshSign } from './ssh-keygen';

export const SSH_KEY_ENV = 'HANDRAIL_SSH_SIGNING_KEY';

export interface SshSigner {
  key: SshPublicKey;
  /** `ssh-agent` or the key file's path: how it will sign. */
  via: string;
  /** Signs in handrail-record's namespace, or the one given (approvals: handrail-approval). */
  sign(data: Buffer, namespace?: string): Promise<string>;
}

export type SshIdentity =
  | { status: 'ready'; signer: SshSigner }
  /** Set up, but it would not sign at the end without a prompt: the run does not start. */
  | { status: 'problem'; message: string }
  /** Not set up: records carry only the local key's signature. `setup` says how, in one sentence. */
  | { status: 'none'; setup: string };

const SETUP =
  'records are not signed as you: sign with your SSH key as git does (`git config --global gpg.format ssh`, `git config --global user.signingkey ~/.ssh/id_ed25519.pub`, or HANDRAIL_SSH_SIGNING_KEY) and add it to GitHub as a signing key.';

/**
 * Through node's own execFile, not execa: every run asks git this before step 1, and loading execa for it
 * was a tenth of a short run's CPU. No git, a failure or a timeout all mean "not configured".
 */
function gitConfig(name: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', ['config', '--get', name], { cwd, env, timeout: 10_000, encoding: 'utf8' }, (error, stdout) =>
      done(error ? undefined : stdout.trim() || undefined),
    );
  });
}

/** What is configured: the env var, else git's settings; undefined when neither says ssh. */
async function configured(env: NodeJS.ProcessEnv, cwd: string): Promise<{ value: string; from: string } | SshIdentity> {
  const fromEnv = env[SSH_KEY_ENV];
  if (fromEnv === 'none') return { status: 'none', setup: `records are not signed with an SSH key (${SSH_KEY_ENV}=none).` };
  if (fromEnv) return { value: fromEnv, from: SSH_KEY_ENV };
  if ((await gitConfig('gpg.format', cwd, env))?.toLowerCase() !== 'ssh') return { status: 'none', setup: SETUP };
  const value = await gitConfig('user.signingkey', cwd, env);
  if (!value)
    return {
      status: 'none',
      setup:
        "records are not signed with your SSH key: git's gpg.format is ssh but user.signingkey is not set; set it with `git config --global user.signingkey ~/.ssh/id_ed25519.pub`.",
    };
  return { value, from: 'git config user.signingkey' };
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

function addAdvice(privateFile: string | undefined): string {
  return `add it to ssh-agent: ssh-add ${privateFile ?? '<its private key file>'}`;
}

/** The operator's SSH signing identity, checked so that signing at the end will not prompt. */
export async function findSshIdentity(options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<SshIdentity> {
  const env = options.env ?? process.env;
  const setting = await configured(env, options.cwd ?? process.cwd()).catch((): SshIdentity => ({ status: 'none', setup: SETUP }));
  if ('status' in setting) return setting;
  const { value, from } = setting;

  // git treats `key::…` (and, for older configs, a bare `ssh-…`) as the public key itself.
  const literal = value.startsWith('key::') ? value.slice(5) : value.startsWith('ssh-') ? value : undefined;
  let key: SshPublicKey | undefined;
  let privateFile: string | undefined;
  let encrypted = false;
  if (literal !== undefined) {
    key = parsePublicKeyLine(literal);
    if (!key)
      return {
        status: 'problem',
        message: `${from} holds a key:: literal that is not an SSH public key; give \`key::ssh-ed25519 AAAA…\` or a key file.`,
      };
  } else {
    const path = resolve(expandHome(value));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        status: 'problem',
        message: `${from} names ${value}, which cannot be read (${code === 'ENOENT' ? 'there is no such file' : code}); point it at your SSH signing key.`,
      };
    }
    key = parsePublicKeyLine(text.split('\n')[0] ?? '');
    if (key) privateFile = path.endsWith('.pub') && existsSync(path.slice(0, -4)) ? path.slice(0, -4) : undefined;
    else {
      privateFile = path;
      const info = opensshPrivateKeyInfo(text);
      encrypted = info?.encrypted ?? false;
      key = info?.key ?? (existsSync(`${path}.pub`) ? parsePublicKeyLine(readFileSync(`${path}.pub`, 'utf8')) : undefined);
      if (!key)
        return {
          status: 'problem',
          message: `${from} names ${value}, which is neither an SSH public key nor an OpenSSH private key with its .pub beside it.`,
        };
    }
    if (privateFile && !encrypted) encrypted = opensshPrivateKeyInfo(readFileSync(privateFile, 'utf8'))?.encrypted ?? false;
  }

  const use = literal !== undefined ? { literal: key.line } : { keyFile: resolve(expandHome(value)) };
  const signer = (via: string): SshIdentity => ({
    status: 'ready',
    signer: { key: key!, via, sign: (data, namespace) => sshSign(data, use, namespace) },
  });
  const agent = await agentPublicKeys().catch(() => undefined);
  if (agent?.some((line) => parsePublicKeyLine(line)?.fingerprint === key!.fingerprint)) return signer('ssh-agent');

  const name = `the SSH signing key ${key.fingerprint} (${from})`;
  const noAgent = agent === undefined ? 'no ssh-agent is running' : 'it is not in ssh-agent';
  if (literal !== undefined || !privateFile)
    return { status: 'problem', message: `${name} can only sign through ssh-agent, but ${noAgent}; ${addAdvice(privateFile)}.` };
  if (encrypted)
    return {
      status: 'problem',
      message: `${name} needs a passphrase and ${noAgent}, so it could not sign the record without asking; ${addAdvice(privateFile)}.`,
    };
  // A hardware key (sk-…) would ask for a touch; it is trusted to sign as it does for git.
  if (!key.type.startsWith('sk-')) {
    try {
      await sshSign(Buffer.from('handrail: can this key sign?\n'), use);
    } catch (error) {
      const reason = error instanceof HandrailError ? error.message : String(error);
      if (/passphrase/i.test(reason))
        return { status: 'problem', message: `${name} needs a passphrase and ${noAgent}; ${addAdvice(privateFile)}.` };
      return { status: 'problem', message: `${name} cannot sign: ${reason.replace(/\.$/, '')}.` };
    }
  }
  return signer(privateFile);
}
