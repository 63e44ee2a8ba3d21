// When each keychain token was stored, for `max_age_days` and `handrail auth status`.
// Kept beside the keychain item, not inside it: the keychain password must be the token itself
// (SPEC §5), so other tools can read it. The file holds dates only — never a token — and lives at
// <config>/handrail/token-dates.json, mode 0600: { "<account>": "<RFC 3339 date>" }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, writePrivateFileAtomic } from '../core/paths';

const DAY_MS = 24 * 60 * 60 * 1000;

export class TokenDates {
  readonly path: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.path = join(configDir(env), 'token-dates.json');
  }

  private read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
      }
    } catch {
      // Missing or unreadable: every age is simply unknown.
    }
    return {};
  }

  get(account: string): Date | undefined {
    const value = this.read()[account];
    const date = value ? new Date(value) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  }

  /** Whole days since the token was stored; undefined when handrail did not store it. */
  ageDays(account: string, now: Date = new Date()): number | undefined {
    const created = this.get(account);
    return created ? Math.floor((now.getTime() - created.getTime()) / DAY_MS) : undefined;
  }

  set(account: string, date: Date = new Date()): void {
    writePrivateFileAtomic(this.path, `${JSON.stringify({ ...this.read(), [account]: date.toISOString() }, null, 2)}\n`);
  }

  delete(account: string): void {
    const all = this.read();
    if (!(account in all)) return;
    delete all[account];
    writePrivateFileAtomic(this.path, `${JSON.stringify(all, null, 2)}\n`);
  }
}
