// What the operator is told about an unfinished run before it is resumed: where its journal is
// damaged. One sentence each, already terminal-safe: the journal's bytes are not to be trusted.
import type { ResumeState } from '../core/ports';
import { UsageError } from '../core/errors';
import { terminalSafeLine } from '../core/terminal-safe';

/** Where the journal is damaged, what is still trusted and what the rest claims. */
export function damageSentence(found: ResumeState): string | undefined {
  const d = found.damage;
  if (!d) return undefined;
  const claims = d.claimsFinished.length ? `, and they say ${d.claimsFinished.join(', ')} finished, which cannot be proved` : '';
  return terminalSafeLine(
    `The journal ${found.journalPath} is damaged at entry ${d.entry} (line ${d.entry + 1}, byte ${d.byte}): ${d.problem}. ` +
    `The ${d.entry} entries before it are trusted; the ${d.untrustedLines} line${d.untrustedLines === 1 ? '' : 's'} from there on are not${claims}. ` +
    `Resuming goes on from the trusted entries alone: a step they do not show as finished runs again.`
  );
}

/** A damaged journal is never trusted without a person's say: --yes refuses (exit 2). */
export function assertTrustedUnattended(found: ResumeState, options: { yes?: boolean }): void {
  const damage = damageSentence(found);
  if (!damage || !options.yes) return;
  throw new UsageError(`${damage} --yes does not decide that, so nothing was run: run it without --yes to look and decide, or pass --restart to start over.`);
}
