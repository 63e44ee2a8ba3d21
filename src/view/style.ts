// How a front end paints words: view/ builds lines with these, and line mode says what they do
// (ANSI colour, or nothing off a terminal or under NO_COLOR: plain/style.ts).
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}
