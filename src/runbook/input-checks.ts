// Rules an input spec must follow beyond its schema, shared by front-matter `inputs:` and `input` blocks.
import type { InputSpec } from './schema';
import { matchesWhole, regexError } from './regex';
import type { PathSegment, YamlSource } from './yaml-source';

export function checkInputSpec(yaml: YamlSource, path: readonly PathSegment[], spec: InputSpec, label: string): void {
  const at = (key: string) => yaml.positionOf([...path, key]);
  if (spec.pattern !== undefined) {
    const error = regexError(spec.pattern);
    if (error) yaml.add(at('pattern'), `${label}pattern is not a valid JavaScript regex: ${error}`);
    else if (spec.default !== undefined && !matchesWhole(spec.pattern, spec.default)) {
      yaml.add(at('default'), `${label}default "${spec.default}" does not match its pattern ${spec.pattern}`);
    }
  }
  if (spec.choices && spec.default !== undefined && !spec.choices.includes(spec.default)) {
    yaml.add(at('default'), `${label}default "${spec.default}" is not one of its choices (${spec.choices.join(', ')})`);
  }
  if (spec.type === 'select' && !spec.choices) {
    yaml.add(at('type'), `${label}type select needs choices: add a choices: list`);
  }
  if (spec.type === 'confirm' && spec.choices) {
    yaml.add(at('choices'), `${label}choices are not for a confirm input (it is yes/no): remove them or use type: select`);
  }
}
