// `requires:` — each tool must be on PATH, and within its semver range when one is given.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
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

async function readVersion(path: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await execa(path, ['--version'], {
    env,
    reject: false,
    timeout: VERSION_TIMEOUT_MS,
    stdin: 'ignore',
    all: true,
  });
  const text = typeof result.all === 'string' ? result.all : '';
  return semver.coerce(text)?.version;
}
