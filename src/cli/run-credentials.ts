// Which tokens a run sends where, told before the first request that carries one (SPEC §5.1): each
// credential's source (environment variable or keychain account, never the value) and the API host
// it goes to, as `credential` events — a line in line mode, a preflight line in the TUI, an event
// in --json. A runbook may name any variable as a token (`env: AWS_SECRET_ACCESS_KEY`); this is
// how the operator sees that before answering "Start the run?". The run's GitHub client is made here
// too, so each token it sends names the secret it came from.
import type { EventBus } from '../core/bus';
import type { GithubFactory, SecretResolver } from '../core/ports';
import { neededSecrets } from '../engine/preflight';
import { envCredential, keychainCredential, setCredentialAnnouncer, typedCredential, announceCredential } from '../github/credential';
import { originOf } from '../github/hosts';
import type { Runbook, SecretSpec } from '../core/model';
import { findCredential } from '../team/auth';
import type { RecordsTarget } from '../team/target';
import { tokenSource } from './team-run';

/** "GH_PAT from environment variable GH_TOKEN": the same words the clients announce. */
function sourceOf(name: string, spec: SecretSpec, from: 'env' | 'keychain' | 'prompt' | 'missing'): string {
  if (from === 'env' && spec.env) return envCredential(spec.env, '', name).source;
  if (from === 'keychain' && spec.keychain) return keychainCredential(spec.keychain, '', name).source;
  return typedCredential(name, '').source;
}

/** The resolver, remembering which secret each resolved value came from, so a client can name its source. */
export function labelledSecrets(
  resolver: SecretResolver,
  runbook: Runbook,
): SecretResolver & { sourceOf(token: string | undefined): string | undefined } {
  const sources = new Map<string, string>();
  return {
    lookup: (name, spec) => resolver.lookup(name, spec),
    async resolve(name, spec) {
      const resolved = await resolver.resolve(name, spec);
      sources.set(resolved.value, sourceOf(name, runbook.meta.secrets?.[name] ?? spec, resolved.source));
      return resolved;
    },
    sourceOf: (token) => (token === undefined ? undefined : sources.get(token)),
  };
}

/** A GitHub factory whose tokens are announced with the secret they came from. */
export function withSources(factory: GithubFactory, sourceFor: (token: string | undefined) => string | undefined): GithubFactory {
  return (options) => {
    const source = options.source ?? sourceFor(options.token);
    return factory({ ...options, ...(source ? { source } : {}) });
  };
}

/**
 * From here on, announcements go to the run's events; then every token the run plans to send is
 * announced at once, before any of them is sent. Nothing is sent here.
 */
export async function announceRun(options: {
  bus: EventBus;
  runbook: Runbook;
  secrets: SecretResolver;
  apiUrl: string;
  target?: RecordsTarget;
  reporting: boolean;
}): Promise<void> {
  const { bus, runbook, secrets } = options;
  setCredentialAnnouncer((notice) => bus.emit({ type: 'credential', at: new Date().toISOString(), ...notice }));
  const host = originOf(options.apiUrl)!;
  // One line per source and host, naming everything it is used for.
  const planned = new Map<string, string[]>();
  const plan = (source: string, use: string) => planned.set(source, [...(planned.get(source) ?? []), use]);
  const declared = runbook.meta.secrets ?? {};
  for (const name of neededSecrets(runbook)) {
    const spec = declared[name];
    // Only tokens GitHub sees: the github steps' token and secrets whose scopes are checked with it.
    if (!spec || (name !== runbook.meta.github?.token && !spec.scopes?.length)) continue;
    const { source } = await secrets.lookup(name, spec);
    plan(sourceOf(name, spec, source), name === runbook.meta.github?.token ? 'github steps and token checks' : 'its scope check');
  }
  if (options.target || options.reporting) {
    const credential = await findCredential(options.target?.token ?? tokenSource(runbook));
    if (credential) {
      if (options.target) plan(credential.source, "the team's records");
      if (options.reporting) plan(credential.source, 'the status comment');
    }
  }
  for (const [source, uses] of planned) announceCredential({ source, host, use: uses.join(', ') });
}

/** Whether anything in the runbook talks to GitHub: github steps, a github token, or scopes to check. */
function needsGithub(runbook: Runbook): boolean {
  return (
    runbook.meta.github?.token !== undefined ||
    runbook.steps.some((s) => s.kind === 'github') ||
    Object.values(runbook.meta.secrets ?? {}).some((spec) => (spec.scopes?.length ?? 0) > 0)
  );
}

/** The GitHub client, loaded (octokit and all) only for a runbook that talks to GitHub. */
export async function githubFor(
  runbook: Runbook,
  githubBaseUrl: string,
  sourceOf: (token: string | undefined) => string | undefined,
): Promise<{ github?: GithubFactory; githubBaseUrl?: string }> {
  if (!needsGithub(runbook)) return {};
  const { createGithubRunner } = await import('../github');
  return { github: withSources(createGithubRunner, sourceOf), githubBaseUrl };
}
