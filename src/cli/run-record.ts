// Who a run is recorded as, and the recorder that writes it down: the local signing key (loaded and
// test-signed before anything is journaled or run), the operator's SSH signing key (SPEC §6.1), the
// operator and tool the record names, and the journal that ends the run if it cannot be written.
import { hostname, userInfo } from 'node:os';
import type { EventBus } from '../core/bus';
import type { Runbook } from '../core/model';
import type { ResumeState, SshIdentityState } from '../core/ports';
import { loadUsableSigningKey, type SigningKey } from '../record/keys';
// Straight from the modules rather than '../record': its index also brings in verification and the
// record's zod schema, which a run never needs.
import { startRecorder, type RunRecorder } from '../record/recorder';
import { findSshIdentity, type SshIdentity } from '../record/ssh-identity';

// Defined by the bundler (scripts/build.mjs); main.ts is not imported here because it runs the CLI.
declare const HANDRAIL_VERSION: string;
const VERSION = typeof HANDRAIL_VERSION === 'string' ? HANDRAIL_VERSION : '0.0.0-dev';

/** The tool a record names as having run the runbook. */
export const TOOL = { name: 'handrail', version: VERSION };

export interface Recording {
  recorder: RunRecorder;
  signingKey: Pick<SigningKey, 'keyid' | 'source'>;
  /** What the engine needs to know of the SSH identity: never the signer itself. */
  sshIdentity(): Promise<SshIdentityState>;
}

export async function startRecording(options: {
  bus: EventBus;
  runbook: Runbook;
  recordDir?: string;
  resume?: ResumeState;
  controller: AbortController;
}): Promise<Recording> {
  const { controller } = options;
  // The operator's SSH signing key (SPEC §6.1), found and checked while the local key loads.
  const sshLoad = findSshIdentity();
  // Loaded once and test-signed before anything is journaled or run (a key that cannot sign stops
  // the run here, exit 2): the preflight shows it and the record is signed with it.
  const key = await loadUsableSigningKey();
  const recorder = startRecorder(options.bus, {
    runbook: options.runbook,
    ...(options.recordDir ? { recordDir: options.recordDir } : {}),
    ...(options.resume ? { resume: options.resume } : {}),
    signingKey: () => Promise.resolve(key),
    sshIdentity: () => sshLoad,
    // A journal that cannot be written (a full disk) ends the run: going on would run steps that a
    // resume could not know had finished.
    onJournalFault: (sentence) => {
      if (!controller.signal.aborted) controller.abort(sentence);
    },
  });
  return {
    recorder,
    signingKey: { keyid: key.keyid, source: key.source },
    sshIdentity: async () =>
      identityState(
        await sshLoad.catch((error: unknown): SshIdentity => ({
          status: 'problem',
          message: error instanceof Error ? error.message : String(error),
        })),
      ),
  };
}

function identityState(identity: SshIdentity): SshIdentityState {
  return identity.status === 'ready'
    ? { status: 'ready', fingerprint: identity.signer.key.fingerprint, via: identity.signer.via }
    : identity;
}

/** The operator a record names: the login user on this host. */
export function operator(): { user: string; host: string } {
  return { user: safeUser(), host: hostname() };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
