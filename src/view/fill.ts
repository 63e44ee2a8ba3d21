// `{{NAME}}` as the screen shows it (SPEC §3.1): the value, •••• for a secret, and for a value not
// given yet (an input further down) ‹NAME›, so no raw template reaches the operator.
import { TEMPLATE_REFERENCE, renderTemplate } from '../runbook/template';

export type Fill = (text: string) => string;

export function makeFill(variables: Readonly<Record<string, string>>, secretNames: ReadonlySet<string>): Fill {
  return (text) => renderTemplate(text, variables, secretNames).replace(TEMPLATE_REFERENCE, (_written, name: string) => `‹${name}›`);
}
