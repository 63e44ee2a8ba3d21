// `handrail lint` and `handrail --version` must start fast: they never load React or Ink. The built CLI runs
// under a module hook that records every file Node loads; dist/meta.json maps those chunks back to sources.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

const HOOK = `
import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
const log = process.env.HANDRAIL_LOAD_LOG;
registerHooks({
  load(url, context, nextLoad) {
    appendFileSync(log, url + '\\n');
    return nextLoad(url, context);
  },
});
`;

const UI = /node_modules\/(ink|react|react-reconciler|@inquirer)\//;

async function loadedFiles(args: string[], script?: string): Promise<{ code: number | null; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-loads-'));
  const hook = join(dir, 'hook.mjs');
  const log = join(dir, 'loaded.txt');
  writeFileSync(hook, HOOK);
  writeFileSync(log, '');
  const env = {
    NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`,
    HANDRAIL_LOAD_LOG: log,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
  };
  let code: number | null;
  if (script === undefined) code = (await runCli(args, { env })).code;
  else {
    // The control runs plain node on a script, not the CLI, through the same hook.
    const { spawnSync } = await import('node:child_process');
    code = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, ...env } }).status;
  }
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url));
  return { code, files };
}

/** The sources bundled into each dist chunk that was loaded, as paths relative to the project. */
function sourcesOf(files: readonly string[]): string[] {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;
  const sources = new Set<string>();
  for (const file of files) {
    const relative = file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : file;
    for (const input of Object.keys(meta.outputs[relative]?.inputs ?? {})) sources.add(input);
    if (!meta.outputs[relative]) sources.add(relative);
  }
  return [...sources];
}

describe('lazy loading', () => {
  it('handrail lint loads the runbook parser but never React, Ink or inquirer', async () => {
    const { code, files } = await loadedFiles(['lint', 'runbooks/demo.md']);
    expect(code).toBe(0);
    const sources = sourcesOf(files);
    // The mapping works: the parser is among the sources lint loaded, so an Ink source would be too.
    expect(sources).toContain('src/runbook/parse.ts');
    expect(sources.some((s) => s.startsWith('node_modules/markdown-it/'))).toBe(true);
    expect(sources.filter((s) => UI.test(s))).toEqual([]);
  });

  it('handrail lint loads zod/mini and the English messages, not classic zod with every locale', async () => {
    const { code, files } = await loadedFiles(['lint', 'runbooks/demo.md']);
    expect(code).toBe(0);
    const zod = sourcesOf(files).filter((s) => s.startsWith('node_modules/zod/'));
    expect(zod.some((s) => s.startsWith('node_modules/zod/v4/mini/'))).toBe(true);
    expect(zod.filter((s) => s.includes('/v4/classic/') || (s.includes('/v4/locales/') && !s.includes('/locales/en.js')))).toEqual([]);
  });

  it('handrail --version answers from the launcher without loading the bundle', async () => {
    const { code, files } = await loadedFiles(['--version']);
    expect(code).toBe(0);
    // The hook saw the launcher itself, so a bundle chunk loaded after it would be in the list too.
    expect(files.some((f) => f.endsWith(join('bin', 'handrail.js')))).toBe(true);
    expect(files.filter((f) => f.startsWith(join(ROOT, 'dist')))).toEqual([]);
  });

  it('handrail --version with another argument goes through the bundle, which loads no parser or UI', async () => {
    const { code, files } = await loadedFiles(['--version', '--help']);
    expect(code).toBe(0);
    const sources = sourcesOf(files);
    expect(sources).toContain('src/cli/main.ts');
    expect(sources.filter((s) => UI.test(s) || s.startsWith('src/runbook/'))).toEqual([]);
  });

  it('control: the hook does see Ink when Ink is loaded', async () => {
    const { files } = await loadedFiles([], "await import('ink');");
    expect(sourcesOf(files).some((s) => UI.test(s))).toBe(true);
  });

  it('control: the bundle does hold Ink, in a chunk with the TUI', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;
    const tuiChunks = Object.values(meta.outputs).filter((output) => {
      const inputs = Object.keys(output.inputs);
      return inputs.some((i) => i.startsWith('src/tui/')) && inputs.some((i) => UI.test(i));
    });
    expect(tuiChunks.length).toBeGreaterThan(0);
  });
});
