// The folders of src/ import one way (README "Layout", LAYERS in eslint.config.js). These run the
// project's real ESLint config on a file placed, in name only, in a folder, so a wrong-way import
// is shown to fail `npm run lint` without writing into src/.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function arrowProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies' || m.fatal).map((m) => m.message);
}

describe('imports point one way', () => {
  it('refuses core/ importing the engine, with the arrow named', async () => {
    const problems = await arrowProblems(
      'src/core/probe.ts',
      "import { runRunbook } from '../engine/engine';\nexport const x = runRunbook;\n",
    );
    expect(problems).toEqual([expect.stringContaining('core/ may not import engine/')]);
  });

  it('refuses a type-only import, an export-from and a dynamic import against the arrows', async () => {
    expect(
      await arrowProblems('src/engine/probe.ts', "import type { Credential } from '../github/credential';\nexport type C = Credential;\n"),
    ).toHaveLength(1);
    expect(await arrowProblems('src/runbook/probe.ts', "export { runRunbook } from '../engine/engine';\n")).toHaveLength(1);
    expect(await arrowProblems('src/view/probe.ts', "export const load = () => import('../tui/index');\n")).toHaveLength(1);
  });

  it('refuses any folder importing cli/, however deep the file', async () => {
    expect(await arrowProblems('src/tui/prompts/probe.ts', "import { main } from '../../cli/main';\nexport const m = main;\n")).toEqual([
      expect.stringContaining('tui/ may not import cli/'),
    ]);
  });

  it('lets imports follow the arrows, and within a folder', async () => {
    expect(
      await arrowProblems(
        'src/engine/probe.ts',
        "import { EventBus } from '../core/bus';\nimport { parseRunbook } from '../runbook/parse';\nimport { runRunbook } from './engine';\nexport const x = [EventBus, parseRunbook, runRunbook];\n",
      ),
    ).toEqual([]);
    expect(await arrowProblems('src/cli/probe.ts', "import { x as y } from '../tui/index';\nexport const x = y;\n")).toEqual([]);
  });
});
