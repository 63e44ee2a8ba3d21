// The verify command printed at the end of a run must work as typed: `handrail verify …` when
// handrail is on PATH (npm link, a global install), else the very launcher this run was started
// with, through node. (`npx handrail` would fetch an unrelated package of that name from npm.)
import { realpathSync } from 'node:fs';
import { onPath } from '../core/which';

let launcher: string | undefined;

/** Quoted for a POSIX shell when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How to start handrail from any folder: `handrail`, or `node /path/to/bin/handrail.js`. */
export function handrailCommand(): string {
  if (launcher !== undefined) return launcher;
  const script = process.argv[1];
  if (onPath('handrail') || !script) launcher = 'handrail';
  else {
    let path = script;
    try {
      path = realpathSync(script);
    } catch {
      // The script as given still starts it.
    }
    launcher = `node ${shellWord(path)}`;
  }
  return launcher;
}

export function verifyCommand(recordPath: string): string {
  return `${handrailCommand()} verify ${shellWord(recordPath)}`;
}
