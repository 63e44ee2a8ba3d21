// `requires:` — each tool must be on PATH, and within its semver range when one is given.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import semver from 'semver';
import type { RequiredTool } from '../core/model';
import type { ToolCheck } from '../core/events';

const VERSION_TIMEOUT_MS = 10_000;

export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface ToolCheckOptions {
  /** Where tools are looked up and `--version` runs: handrail's own environment. */
  env: NodeJS.ProcessEnv;
  /** What a `check:` command sees: the environment a step gets, without variables or secrets. */
  checkEnv: Readonly<Record<string, string>>;
  /** The runbook's directory, where `check:` commands run. */
  cwd: string;
}

export async function checkTools(requires: RequiredTool[], options: ToolCheckOptions): Promise<ToolCheck[]> {
  return Promise.all(requires.map((tool) => checkTool(typeof tool === 'string' ? { name: tool } : tool, options)));
}

type Tool = Exclude<RequiredTool, string>;

async function checkTool(tool: Tool, options: ToolCheckOptions): Promise<ToolCheck> {
  const result = tool.check ? await checkByCommand(tool, tool.check, options) : await checkOnPath(tool, options.env);
  return result.ok || !tool.hint ? result : { ...result, hint: tool.hint, message: `${result.message} To fix it: ${withStop(tool.hint)}` };
}

const withStop = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function base(tool: Tool) {
  return { name: tool.name, ...(tool.version ? { range: tool.version } : {}) };
}

async function checkOnPath(tool: Tool, env: NodeJS.ProcessEnv): Promise<ToolCheck> {
  const path = findOnPath(tool.name, env.PATH);
  if (!path) {
    return {
      ...base(tool),
      found: false,
      ok: false,
      message: `${tool.name} is not on PATH; install it (or add it to PATH) and run again.`,
    };
  }
  if (!tool.version) return { ...base(tool), found: true, ok: true };
  const { stdout, stderr } = await execute(path, ['--version'], { env });
  return versionVerdict(tool, semver.coerce(`${stdout}\n${stderr}`)?.version, `\`${tool.name} --version\``);
}

/** `check:` runs in sh: exit 0 means present, and its output names the version for `version:`. */
async function checkByCommand(tool: Tool, command: string, options: ToolCheckOptions): Promise<ToolCheck> {
  const { code, stdout, stderr, timedOut } = await execute('/bin/sh', ['-c', command], { env: options.checkEnv, cwd: options.cwd });
  if (code !== 0) {
    const why = timedOut ? `did not answer within ${VERSION_TIMEOUT_MS / 1000}s` : `failed (exit ${code ?? 'by a signal'})`;
    const said = firstLine(stderr) || firstLine(stdout);
    return {
      ...base(tool),
      found: false,
      ok: false,
      message: `${tool.name} is not usable: \`${command}\` ${why}${said ? `: ${said}` : ''}.`,
    };
  }
  if (!tool.version) return { ...base(tool), found: true, ok: true };
  return versionVerdict(tool, semver.coerce(`${stdout}\n${stderr}`)?.version, `\`${command}\``);
}

function versionVerdict(tool: Tool, version: string | undefined, source: string): ToolCheck {
  if (!version) {
    return { ...base(tool), found: true, ok: false, message: `could not read a version from ${source}; ${tool.version} is required.` };
  }
  const ok = semver.satisfies(version, tool.version!, { includePrerelease: true });
  return {
    ...base(tool),
    found: true,
    version,
    ok,
    ...(ok ? {} : { message: `${tool.name} ${version} is installed but ${tool.version} is required; upgrade it and run again.` }),
  };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.trim().slice(0, 200);
}

interface Execution {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function execute(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Execution> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { ...options, timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; killed?: boolean }) | null;
        const code = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0;
        resolve({ code, stdout, stderr, timedOut: !!failure?.killed });
      },
    );
    // A tool that reads stdin would wait for the operator's terminal; it gets an empty stdin instead.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
  });
}
