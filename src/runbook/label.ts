// A step's label (SPEC §3.1): `title=`, else an input's prompt, else its section heading, whose own
// numbering ("2. ", "3.1 ", "4) ") is left off because lists number steps again.
export function unnumbered(heading: string): string {
  return heading.replace(/^\d+(?:\.\d+)*[.)]?\s+(?=\S)/, '');
}
