// Rules an input spec must follow beyond its schema, shared by front-matter `inputs:` and `input` blocks.
import type { InputSpec } from '../core/schema';
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
  if (spec.type === 'select' && !spec.choices && !spec.choices_from) {
    yaml.add(at('type'), `${label}type select needs choices: add a choices: list or choices_from:`);
  }
  if (spec.type === 'confirm' && (spec.choices || spec.choices_from)) {
    const key = spec.choices ? 'choices' : 'choices_from';
    yaml.add(at(key), `${label}a confirm input is yes/no: remove ${key} or use type: select`);
  }
  if (spec.current && !spec.choices && !spec.choices_from) {
    yaml.add(at('current'), `${label}current marks one of the choices: give choices: or choices_from: as well`);
  }
  if (spec.choices && spec.choices_from) {
    yaml.add(at('choices_from'), `${label}choices and choices_from cannot both be given: keep one`);
  }
}
