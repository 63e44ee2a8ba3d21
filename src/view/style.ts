// How a front end paints words: view/ builds lines with these, and each front end says what they do
// (line mode: ANSI colour or nothing; the TUI's scrollback: nothing).
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const same = (text: string) => text;

/** Words as they are: for plain text, a log, a test. */
export const NO_STYLE: Style = { bold: same, dim: same, green: same, red: same, yellow: same, cyan: same };
