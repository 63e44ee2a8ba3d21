// `{{NAME}}` in prose and task items shows a variable's value; a secret never shows, only ••••.
import { MASK } from '../core/masker';

/** `{{NAME}}` or `{{ NAME }}`; the name rule is the one variables follow (SPEC §1.1). */
export const TEMPLATE_REFERENCE = /\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}/g;

export function renderTemplate(text: string, variables: Readonly<Record<string, string>>, secretNames: ReadonlySet<string>): string {
  return text.replace(TEMPLATE_REFERENCE, (written, name: string) => {
    if (secretNames.has(name)) return MASK;
    // Unknown names stay as written, so the operator sees what the author meant to show.
    return Object.hasOwn(variables, name) ? variables[name] : written;
  });
}

/** Each `{{NAME}}` in a text with its 0-based offset. */
export function templateReferences(text: string): { name: string; offset: number }[] {
  return [...text.matchAll(TEMPLATE_REFERENCE)].map((m) => ({ name: m[1], offset: m.index }));
}
