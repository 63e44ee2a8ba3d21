// Everything checked before step 1: tools, inputs, secrets, token scopes, GITHUB_LOGIN. Nothing runs
// when any of it fails.
import { HandrailError } from '../core/errors';
import { MASK } from '../core/masker';
import type { Runbook, SecretSpec } from '../core/model';
import type { PreflightSummary } from '../core/prompter';
import type { GithubRunner } from '../core/ports';
import { checkTools } from './tools';
import { RunStop, type EngineContext } from './context';
import { obtainInput } from './steps/input-step';
import { githubRunner } from './steps/github-step';
import { secretWays } from '../core/token-advice';

/** Secrets some step will read: `secrets=`, `stdin=` naming a secret, and github.token when github steps exist. */
export function neededSecrets(runbook: Runbook): string[] {
  const declared = runbook.meta.secrets ?? {};
  const needed = new Set<string>();
  for (const step of runbook.steps) {
    if (step.kind === 'run' || step.kind === 'check') {
      for (const name of step.secrets) needed.add(name);
      if (step.stdin && step.stdin in declared) needed.add(step.stdin);
    }
    if (step.kind === 'github' && runbook.meta.github?.token) needed.add(runbook.meta.github.token);
  }
  return [...needed];
}

export async function preflight(ctx: EngineContext): Promise<void> {
  const { runbook } = ctx.options;
  const meta = runbook.meta;

  const tools = await checkTools(meta.requires ?? [], { env: ctx.env, checkEnv: ctx.stepEnv, cwd: runbook.dir });
  const toolsOk = tools.every((t) => t.ok);
  ctx.emit({ type: 'preflight', at: ctx.now(), tools, ok: toolsOk });
  if (!toolsOk) {
    throw new RunStop(
      'failed',
      tools
        .filter((t) => !t.ok)
        .map((t) => t.message ?? `${t.name} is not usable.`)
        .join(' '),
    );
  }
  // A key that would ask for a passphrase when the record is signed is found now, not at the end.
  const sshIdentity = ctx.options.sshIdentity;
  if (sshIdentity?.status === 'problem') throw new RunStop('failed', sshIdentity.message, 2);
  for (const message of ctx.options.notices ?? []) ctx.emit({ type: 'notice', at: ctx.now(), message: ctx.masker.mask(message) });
  if (ctx.options.rehearsal) ctx.emit({ type: 'rehearsal-checked', at: ctx.now(), ...ctx.options.rehearsal });
  if (ctx.options.approval) ctx.emit({ type: 'approval-checked', at: ctx.now(), approval: ctx.options.approval });

  const restored = trustedRestored(ctx);
  Object.assign(ctx.variables, restored);
  const inputs: PreflightSummary['inputs'] = [];
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    const given =
      restored[name] !== undefined && ctx.options.sets?.[name] === undefined
        ? { value: restored[name], source: 'resume' as const }
        : await obtainInput(ctx, name, spec);
    ctx.variables[name] = given.value;
    ctx.emit({ type: 'input-given', at: ctx.now(), name, value: ctx.masker.mask(given.value), source: given.source });
    inputs.push({ name, value: ctx.masker.mask(given.value), secret: false });
  }

  const declared = meta.secrets ?? {};
  const secretsSummary: PreflightSummary['secrets'] = [];
  const needed = new Set(neededSecrets(runbook));
  for (const [name, spec] of Object.entries(declared)) {
    const lookup = ctx.options.secrets ? await ctx.options.secrets.lookup(name, spec) : { source: 'missing' as const };
    // Which variable or account it came from: a runbook may name any (SPEC §5.1), and the operator reads it here.
    const where = lookup.source === 'env' ? spec.env : lookup.source === 'keychain' ? spec.keychain : undefined;
    secretsSummary.push({ name, source: lookup.source, ...(where ? { where } : {}) });
  }
  for (const name of needed) {
    const spec = declared[name];
    if (!spec) throw new RunStop('failed', `secret ${name} is not declared under secrets: in the front matter.`, 2);
    const { value, source } = await resolveSecret(ctx, name, spec);
    ctx.masker.add(value);
    ctx.secretValues.set(name, value);
    ctx.emit({ type: 'secret-resolved', at: ctx.now(), name, source });
    const entry = secretsSummary.find((s) => s.name === name);
    if (entry) entry.source = source;
  }

  const scopes = await checkScopes(ctx, needed);

  const tokenName = meta.github?.token;
  const hasGithubSteps = runbook.steps.some((s) => s.kind === 'github');
  if (tokenName && ctx.secretValues.has(tokenName)) {
    const { login } = await whoami(ctx, tokenName);
    ctx.variables.GITHUB_LOGIN = login;
    ctx.emit({ type: 'github-login', at: ctx.now(), login });
  }
  if (hasGithubSteps) githubRunner(ctx);
  const identity = await identityLine(ctx);

  const summary: PreflightSummary = {
    tools,
    inputs,
    secrets: secretsSummary,
    scopes,
    signingKey: ctx.options.signingKey ?? { missing: 'not checked' },
    ...(identity ? { identity } : {}),
  };
  const answer = await ctx.ask(() => ctx.options.prompter.begin({ summary }));
  if (answer !== 'start') throw new RunStop('aborted', 'aborted before step 1');
}

/**
 * The journal's inputs and captures, minus any it could only keep masked (an older handrail journaled
 * a capture holding a secret as `••••`): such a value is never passed on. An input is asked again;
 * a capture cannot be, so the run stops before step 1 and says how to go on.
 */
function trustedRestored(ctx: EngineContext): Record<string, string> {
  const restored = { ...ctx.options.resume?.variables };
  const inputs = ctx.options.runbook.meta.inputs ?? {};
  for (const [name, value] of Object.entries(restored)) {
    if (!value.includes(MASK)) continue;
    if (!(name in inputs)) {
      throw new RunStop(
        'failed',
        `the unfinished run's journal holds ${name} only masked (it contained a secret), so resuming cannot pass it on; start over with --restart.`,
        2,
      );
    }
    delete restored[name];
  }
  return restored;
}

/** Who the record will be signed as: the SSH key and the GitHub login (the run's token's, else the keychain's). */
async function identityLine(ctx: EngineContext): Promise<PreflightSummary['identity']> {
  const identity = ctx.options.sshIdentity;
  if (!identity || identity.status === 'problem') return undefined;
  if (identity.status === 'none') {
    ctx.emit({ type: 'identity', at: ctx.now(), text: identity.setup });
    return { text: identity.setup, signed: false };
  }
  let login: string | undefined = ctx.variables.GITHUB_LOGIN;
  let note: string | undefined;
  if (login === undefined && ctx.options.operatorLogin) {
    ({ login, note } = await ctx.options.operatorLogin());
    if (login !== undefined) ctx.emit({ type: 'github-login', at: ctx.now(), login });
  }
  const via = identity.via === 'ssh-agent' ? 'ssh-agent' : `key file ${identity.via}`;
  const text =
    login !== undefined
      ? `records are signed as @${login} with SSH key ${identity.fingerprint} (${via})`
      : `records are signed with SSH key ${identity.fingerprint} (${via}), for no GitHub login${note ? `: ${note}` : ''}`;
  ctx.emit({ type: 'identity', at: ctx.now(), text, fingerprint: identity.fingerprint, ...(login !== undefined ? { login } : {}) });
  return { text, signed: true };
}

async function resolveSecret(ctx: EngineContext, name: string, spec: SecretSpec) {
  const resolver = ctx.options.secrets;
  if (!resolver) {
    const value = spec.env ? ctx.env[spec.env] : undefined;
    if (value) return { value, source: 'env' as const };
    throw new RunStop('failed', `secret ${name} is needed but no way to read secrets is available; set ${spec.env ?? 'its env variable'}.`);
  }
  try {
    return await ctx.ask(() => resolver.resolve(name, spec));
  } catch (error) {
    if (error instanceof HandrailError) throw new RunStop('failed', error.message, error.exitCode);
    throw error;
  }
}

type Whoami = Awaited<ReturnType<GithubRunner['whoami']>>;

const whoamiCache = new WeakMap<EngineContext, Map<string, Promise<Whoami>>>();

/** `GET /user` with the token in `secret`, once per run: its login, and the declared scopes it lacks. */
function whoami(ctx: EngineContext, secret: string): Promise<Whoami> {
  let cache = whoamiCache.get(ctx);
  if (!cache) whoamiCache.set(ctx, (cache = new Map()));
  let answer = cache.get(secret);
  if (!answer) {
    const factory = ctx.options.github;
    if (!factory) throw new RunStop('failed', `the token in ${secret} cannot be checked: no GitHub client is available.`);
    const token = ctx.secretValues.get(secret);
    const spec = ctx.options.runbook.meta.secrets?.[secret];
    // The generic advice names no account or variable: a rejection says the ones this runbook reads.
    const fix = secretWays(spec, 'token');
    const required = spec?.scopes;
    answer = factory({
      ...(ctx.options.githubBaseUrl ? { baseUrl: ctx.options.githubBaseUrl } : {}),
      ...(token ? { token } : {}),
      ...(fix ? { fix } : {}),
    })
      .whoami(required?.length ? { required } : {})
      .catch((error: unknown) => {
        const message = ctx.masker.mask(error instanceof Error ? error.message : String(error));
        throw new RunStop('failed', `Checking the token in ${secret} with GitHub failed: ${message}`);
      });
    cache.set(secret, answer);
  }
  return answer;
}

async function checkScopes(ctx: EngineContext, needed: ReadonlySet<string>): Promise<PreflightSummary['scopes']> {
  const declared = ctx.options.runbook.meta.secrets ?? {};
  const results: PreflightSummary['scopes'] = [];
  const problems: { name: string; several: boolean; text: string }[] = [];
  for (const name of needed) {
    const required = declared[name]?.scopes;
    if (!required?.length) continue;
    if (!ctx.options.github) {
      ctx.emit({ type: 'warning', at: ctx.now(), message: `the scopes of ${name} were not checked: no GitHub client is available.` });
      continue;
    }
    const answer = await whoami(ctx, name);
    const granted = answer.scopes;
    // A client that reports scopes but not which are missing cannot vouch for them: all count as missing.
    const missing = answer.missing ?? (granted === undefined ? [] : required);
    if (granted === undefined) {
      ctx.emit({
        type: 'warning',
        at: ctx.now(),
        message: `GitHub did not report the scopes of ${name} (a fine-grained token?); make sure it grants ${required.join(', ')}.`,
      });
      results.push({ secret: name, required, missing: [] });
      continue;
    }
    results.push({ secret: name, required, missing, granted });
    if (missing.length)
      problems.push({
        name,
        several: missing.length > 1,
        text: `${name} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      });
  }
  if (problems.length === 1) {
    const ways = secretWays(declared[problems[0]!.name], 'token');
    throw new RunStop(
      'failed',
      `${problems[0]!.text}; make a token with ${problems[0]!.several ? 'those scopes' : 'that scope'}, then ${ways || 'give it when asked'}.`,
    );
  }
  if (problems.length) {
    throw new RunStop('failed', `${problems.map((p) => p.text).join('; ')}; make tokens with those scopes and store them again.`);
  }
  return results;
}
