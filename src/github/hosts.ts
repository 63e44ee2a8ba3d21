// Where a token may go (SPEC §5.1): only to a GitHub API host the operator chose — api.github.com,
// --github-api / HANDRAIL_GITHUB_API, or `github_hosts` in the operator's config.yaml. A runbook is
// code someone else may have written: its `github.api` only says which API it expects. Kept apart
// from the client so that checking a host never loads octokit.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { HandrailError, UsageError } from '../core/errors';
import { configDir } from '../core/paths';
import { YamlSource } from '../runbook/yaml-source';

export const DEFAULT_GITHUB_API = 'https://api.github.com';

export interface ChosenHost {
  /** `https://host[:port]`: a token belongs to a host, as in gh. */
  origin: string;
  /** Who chose it, in words: "the default", "--github-api", "HANDRAIL_GITHUB_API", "config.yaml". */
  by: string;
}

/** --github-api of the command being run: the operator's choice for the rest of this process. */
let flagChoice: string | undefined;

/** Records --github-api (called by each command as it reads its flags); undefined clears it. */
export function chooseGithubApi(flag: string | undefined): void {
  flagChoice = flag || undefined;
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.yaml');
}

const configSchema = z.looseObject({
  github_hosts: z.optional(z.array(z.url({ protocol: /^https?$/ }))),
});

/** `github_hosts` from config.yaml; a file that is not valid is one sentence naming file:line:col. */
export function configuredHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = configFile(env);
  let text: string;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    // A host listed here receives the operator's tokens: a file another user could have written
    // (as ssh judges its config) is not the operator's choice. Checked on the file that is read.
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    // Root's, as ssh allows: an administrator may provision it.
    if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) {
      throw new HandrailError(
        `${file} belongs to another user (uid ${stat.uid}), so the GitHub hosts it lists are not trusted; make it yours (chown) or remove it.`,
        2,
      );
    }
    if ((stat.mode & 0o022) !== 0) {
      throw new HandrailError(
        `${file} may be changed by other users (mode ${(stat.mode & 0o777).toString(8)}), so the GitHub hosts it lists are not trusted; run chmod go-w ${file}.`,
        2,
      );
    }
    text = readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof HandrailError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new HandrailError(
      `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix its permissions or remove it.`,
      2,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const yaml = new YamlSource(text, 1);
  const value = yaml.ok ? (yaml.value() ?? {}) : undefined;
  if (value !== undefined) {
    const parsed = z.safeParse(configSchema, value);
    if (parsed.success) return parsed.data.github_hosts ?? [];
    yaml.addIssues(parsed.error.issues, (path) => (path.length ? `${path.join('.')}: ` : 'the configuration: '));
  }
  const first = yaml.problems[0]!;
  const hint = /github_hosts/.test(first.message) ? ' — write github_hosts: [https://ghe.example.com/api/v3]' : '';
  throw new HandrailError(`${file}:${first.line}:${first.column}: ${first.message}${hint}`, 2);
}

/** This machine: plain http there never crosses a network (and is how tests stand in for GitHub). */
function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

function inClear(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && !isLoopback(parsed);
  } catch {
    return false;
  }
}

/**
 * The API's URL without trailing slashes, or a usage error naming where it came from. A flag or an
 * environment variable is easily pasted from someone else's instructions (even from a runbook's
 * refusal): plain http to another machine would send the token in clear, so only config.yaml,
 * written on purpose, may name a server without TLS.
 */
function checkedUrl(url: string, from: string, clear: 'refuse' | 'allow' = 'allow', env: NodeJS.ProcessEnv = process.env): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // A typo here would otherwise surface as a confusing token or network failure mid-run.
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new UsageError(`${from} is not an http(s) URL: ${url}; give the API base, e.g. https://api.github.com.`);
  }
  if (clear === 'refuse' && inClear(url)) {
    throw new UsageError(
      `${from} ${url} is plain http to ${parsed.host}, so a token would cross the network in clear; give its https:// URL (a server without TLS can be listed in github_hosts in ${configFile(env)}).`,
    );
  }
  return url.replace(/\/+$/, '');
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The hosts the operator chose, now: the default, the flag, HANDRAIL_GITHUB_API, config.yaml. */
export function chosenHosts(env: NodeJS.ProcessEnv = process.env): ChosenHost[] {
  const out: ChosenHost[] = [{ origin: originOf(DEFAULT_GITHUB_API)!, by: 'the default' }];
  if (flagChoice) out.push({ origin: originOf(checkedUrl(flagChoice, '--github-api', 'refuse', env))!, by: '--github-api' });
  if (env.HANDRAIL_GITHUB_API)
    out.push({ origin: originOf(checkedUrl(env.HANDRAIL_GITHUB_API, 'HANDRAIL_GITHUB_API', 'refuse', env))!, by: 'HANDRAIL_GITHUB_API' });
  for (const url of configuredHosts(env)) out.push({ origin: originOf(url)!, by: 'config.yaml' });
  return out;
}

export function isChosenHost(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const origin = originOf(url);
  return origin !== undefined && chosenHosts(env).some((h) => h.origin === origin);
}

/** How to trust a host (or why not to, for plain http elsewhere), for the sentence that refuses it. */
export function howToTrust(url: string, env: NodeJS.ProcessEnv = process.env): string {
  const origin = originOf(url) ?? url;
  if (inClear(url)) {
    return `it is plain http, so a token would cross the network in clear: use ${origin.replace(/^http:/, 'https:')}, or, for a server without TLS, add ${origin} to github_hosts in ${configFile(env)}`;
  }
  return `to trust it, pass --github-api ${url.replace(/\/+$/, '')} (or set HANDRAIL_GITHUB_API), or add ${origin} to github_hosts in ${configFile(env)}`;
}

/** Throws (exit 2) unless `url` is on a host the operator chose; `what` names who asked for it. */
export function assertChosenHost(url: string, what: string, env: NodeJS.ProcessEnv = process.env): void {
  if (isChosenHost(url, env)) return;
  throw new UsageError(
    `${what} names the GitHub API ${originOf(url) ?? url}, a host you have not chosen, so nothing was sent to it; ${howToTrust(url, env)}.`,
  );
}

/**
 * The API base a command talks to: --github-api, then HANDRAIL_GITHUB_API, then the runbook's
 * `github.api` when the operator chose its host, then api.github.com. A runbook naming a host the
 * operator did not choose stops the command here, before any request (exit 2).
 */
export function githubApiUrl(options: { flag?: string; env?: NodeJS.ProcessEnv; runbook?: string }): string {
  const env = options.env ?? process.env;
  chooseGithubApi(options.flag);
  const flag = options.flag ? checkedUrl(options.flag, '--github-api', 'refuse', env) : undefined;
  const fromEnv = env.HANDRAIL_GITHUB_API ? checkedUrl(env.HANDRAIL_GITHUB_API, 'HANDRAIL_GITHUB_API', 'refuse', env) : undefined;
  // A config.yaml that cannot be read is said now, as bad usage, not later as a failed request.
  chosenHosts(env);
  if (options.runbook !== undefined)
    assertChosenHost(checkedUrl(options.runbook, 'github.api in the runbook'), "The runbook's github.api", env);
  return flag ?? fromEnv ?? (options.runbook ? checkedUrl(options.runbook, 'github.api in the runbook') : DEFAULT_GITHUB_API);
}
