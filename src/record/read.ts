// Reads what a record file claims (its predicate), without checking the signature: listings use
// this, and the rehearsal lookup to choose what to check (record/evidence.ts decides whether a
// record counts); `handrail verify` is what checks a record.
import { decodeBase64Strict } from './dsse';
import { statementSchema, type Predicate } from './predicate';

export function predicateOf(bytes: Buffer | string): Predicate | undefined {
  try {
    const envelope = JSON.parse(bytes.toString()) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const body = decodeBase64Strict(envelope.payload);
    if (!body) return undefined;
    const parsed = statementSchema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data.predicate : undefined;
  } catch {
    return undefined;
  }
}

/** `@login` when the record knows the operator's GitHub login, else `user@host`. */
export function operatorName(p: Pick<Predicate, 'operator'>): string {
  return p.operator.githubLogin ? `@${p.operator.githubLogin}` : `${p.operator.user}@${p.operator.host}`;
}

/** The UTC time in a record file name (`<id>-20250102T030405Z-<outcome>.json`), as epoch ms. */
export function timeInName(name: string): number | undefined {
  const m = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(name);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}
