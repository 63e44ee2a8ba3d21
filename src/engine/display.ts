// What the operator is shown before a command runs: the script as written, preceded by the values of
// the variables it reads, so a rehearsal shows the step "fully resolved" without ever splicing a
// value into script text.
import { MASK } from '../core/masker';
import type { ShellStep } from '../core/model';

const REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function referencedNames(script: string): string[] {
  const names = new Set<string>();
  for (const m of script.matchAll(REFERENCE)) names.add(m[1] ?? m[2]);
  return [...names];
}

export function shellDisplay(step: ShellStep, variables: Readonly<Record<string, string>>, grantedSecrets: ReadonlySet<string>): string {
  const lines: string[] = [];
  for (const name of referencedNames(step.script)) {
    if (grantedSecrets.has(name)) lines.push(`# ${name}=${MASK}`);
    else if (Object.hasOwn(variables, name)) lines.push(`# ${name}=${quote(variables[name])}`);
  }
  if (step.stdin) lines.push(`# stdin: ${grantedSecrets.has(step.stdin) ? `${step.stdin} (${MASK})` : step.stdin}`);
  const script = step.script.replace(/\n$/, '');
  return lines.length ? `${lines.join('\n')}\n${script}` : script;
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]*$/.test(value) ? value : JSON.stringify(value);
}
