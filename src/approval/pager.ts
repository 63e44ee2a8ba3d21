// A full-screen pager for the plan under review (SPEC §6.6): the whole plan at the terminal's size
// (80×24 at least), scrolled with the arrows, PgUp/PgDn, space, Home/End (or j/k, g/G); `a` goes on
// to approve, `q` leaves. The lines are already terminal-safe and wrapped to the width.
export type PagerChoice = 'approve' | 'quit';

const KEYS = '↑↓ PgUp PgDn scroll · a approve · q quit';

export function pagerFrame(lines: readonly string[], top: number, width: number, height: number): string {
  const room = Math.max(1, height - 1);
  const shown = lines.slice(top, top + room);
  const last = Math.min(lines.length, top + room);
  const where = `lines ${lines.length ? top + 1 : 0}-${last} of ${lines.length}${last < lines.length ? ' ↓' : ''}`;
  const status = `${KEYS}${' '.repeat(Math.max(1, width - KEYS.length - where.length))}${where}`.slice(0, width);
  return `\x1b[H\x1b[2J${shown.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[${height};1H\x1b[7m${status}\x1b[0m`;
}

export function page(lines: readonly string[], input: NodeJS.ReadStream, out: NodeJS.WriteStream): Promise<PagerChoice> {
  const height = () => out.rows || 24;
  const width = () => out.columns || 80;
  const maxTop = () => Math.max(0, lines.length - (height() - 1));
  let top = 0;
  const draw = () => out.write(pagerFrame(lines, top, width(), height()));
  return new Promise((resolve) => {
    const done = (choice: PagerChoice) => {
      input.off('data', onKey);
      out.off('resize', draw);
      input.setRawMode(false);
      input.pause();
      out.write('\x1b[?25h\x1b[?1049l');
      resolve(choice);
    };
    const move = (to: number) => {
      top = Math.min(maxTop(), Math.max(0, to));
      draw();
    };
    const onKey = (data: Buffer) => {
      const key = data.toString('utf8');
      const pageRows = height() - 2;
      if (key === 'q' || key === '\x03' || key === '\x1b') done('quit');
      else if (key === 'a') done('approve');
      else if (key === '\x1b[A' || key === 'k') move(top - 1);
      else if (key === '\x1b[B' || key === 'j' || key === '\r') move(top + 1);
      else if (key === '\x1b[5~' || key === 'b') move(top - pageRows);
      else if (key === '\x1b[6~' || key === ' ') move(top + pageRows);
      else if (key === '\x1b[H' || key === '\x1b[1~' || key === 'g') move(0);
      else if (key === '\x1b[F' || key === '\x1b[4~' || key === 'G') move(maxTop());
    };
    out.write('\x1b[?1049h\x1b[?25l');
    input.setRawMode(true);
    input.on('data', onKey);
    input.resume();
    out.on('resize', draw);
    draw();
  });
}
