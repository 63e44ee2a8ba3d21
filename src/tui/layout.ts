// The row budget (STYLE.md): before anything is drawn, each part of the run screen is given a height
// from the terminal's size. Parts are served in priority order, first their minimum, then what they
// want, so what the operator decides on (the prompt, the command) is served before the step list,
// the output and the prose; a part given less than it wants scrolls inside its own box.

export interface Grant {
  name: string;
  /** The rows this part should have in all once this grant is served. */
  upTo: number;
}

/**
 * Heights by part name, serving the grants in order: a part may appear more than once (first what
 * it cannot do without, later what it would like), so the order is the priority. The sum never
 * exceeds `rows`.
 */
export function budget(rows: number, grants: Grant[]): Record<string, number> {
  const given: Record<string, number> = {};
  let left = Math.max(0, rows);
  for (const { name, upTo } of grants) {
    const have = given[name] ?? 0;
    const take = Math.min(left, Math.max(0, upTo - have));
    given[name] = have + take;
    left -= take;
  }
  return given;
}

/** The parts of the current step's box, in rows: what each needs, then what each is given. */
interface StepParts {
  heading: number;
  prompt: number;
  command: number;
  status: number;
  output: number;
  prose: number;
}

export interface RunScreenNeeds extends StepParts {
  /** The terminal's rows. */
  rows: number;
  /** Steps in the runbook. */
  steps: number;
}

export interface RunScreenLayout extends StepParts {
  list: number;
  gap: number;
}

/**
 * Rows not given to the body: the header, the footer line, and the last row, left empty because Ink
 * clears the whole terminal on every frame as tall as the terminal (a flicker, and lost scrollback).
 */
export const CHROME_ROWS = 3;

export function runScreenLayout(needs: RunScreenNeeds): RunScreenLayout {
  const body = Math.max(0, needs.rows - CHROME_ROWS);
  // The list says where the run stands: a few rows, one more for its "above / below" marker.
  const listWant = Math.min(needs.steps, Math.max(3, Math.floor(needs.rows / 4)));
  const listRows = (n: number) => (n < needs.steps ? n + 1 : n);
  // A long task list scrolls in its box rather than take the whole screen.
  const promptFirst = Math.min(needs.prompt, Math.max(6, Math.floor(body / 2)));
  const given = budget(body, [
    // What the operator decides on, at least in part: where they are, the question, the command.
    { name: 'heading', upTo: 1 },
    { name: 'prompt', upTo: promptFirst },
    { name: 'command', upTo: Math.min(needs.command, 3) },
    { name: 'status', upTo: needs.status },
    { name: 'list', upTo: listRows(Math.min(needs.steps, 1)) },
    // Then all of it, so a command is only scrolled when it cannot fit at all.
    { name: 'prompt', upTo: needs.prompt },
    { name: 'command', upTo: needs.command },
    { name: 'heading', upTo: needs.heading },
    { name: 'output', upTo: Math.min(needs.output, 3) },
    { name: 'list', upTo: listRows(listWant) },
    { name: 'gap', upTo: 1 },
    { name: 'output', upTo: needs.output },
    { name: 'prose', upTo: needs.prose },
    // Rows nobody else wants go to the step list rather than stay empty (120×40 showed 11 steps
    // above 17 blank rows).
    { name: 'list', upTo: listRows(needs.steps) },
  ]);
  const rows = (name: string) => given[name] ?? 0;
  return {
    list: rows('list'),
    gap: rows('gap'),
    heading: rows('heading'),
    prompt: rows('prompt'),
    command: rows('command'),
    status: rows('status'),
    output: rows('output'),
    prose: rows('prose'),
  };
}
