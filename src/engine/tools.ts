// `requires:` — each tool must be on PATH, and within its semver range when one is given.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import semver from 'semver';
import type { RequiredTool } from '../runbook/model';
import type { ToolCheck } from './events';

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

export async function checkTools(requires: RequiredTool[], env: NodeJS.ProcessEnv): Promise<ToolCheck[]> {
  return Promise.all(requires.map((tool) => checkTool(typeof tool === 'string' ? { name: tool } : tool, env)));
}

async function checkTool(tool: { name: string; version?: string }, env: NodeJS.ProcessEnv): Promise<ToolCheck> {
  const base = { name: tool.name, ...(tool.version ? { range: tool.version } : {}) };
  const path = findOnPath(tool.name, env.PATH);
  if (!path) {
    return { ...base, found: false, ok: false, message: `${tool.name} is not on PATH; install it (or add it to PATH) and run again.` };
  }
  if (!tool.version) return { ...base, found: true, ok: true };
  const version = await readVersion(path, env);
  if (!version) {
    return {
      ...base,
      found: true,
      ok: false,
      message: `could not read a version from \`${tool.name} --version\`; ${tool.version} is required.`,
    };
  }
  const ok = semver.satisfies(version, tool.version, { includePrerelease: true });
  return {
    ...base,
    found: true,
    version,
    ok,
    ...(ok ? {} : { message: `${tool.name} ${version} is installed but ${tool.version} is required; upgrade it and run again.` }),
  };
}

function readVersion(path: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = execFile(
      path,
      ['--version'],
      { env, timeout: VERSION_TIMEOUT_MS, maxBuffer: 1024 * 1024, encoding: 'utf8' },
      // Some tools print their version on stderr; a non-zero exit still often names it.
      (_error, stdout, stderr) => resolve(semver.coerce(`${stdout}\n${stderr}`)?.version),
    );
    // A tool that reads stdin would wait for the operator's terminal; it gets an empty stdin instead.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
  });
}
