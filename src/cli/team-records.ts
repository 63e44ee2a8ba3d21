// `handrail records --repo OWNER/REPO [--runbook ID]` and `handrail records publish` (SPEC §6.2):
// the team's records, newest first, and sending what waits in the outbox.
import { githubApiUrl } from '../github/api-url';
import { checkRecordOnGithub, githubKeyCache, type IdentityVerdict } from '../record/identity';
import { terminalSafeLine } from '../core/terminal-safe';
import { operatorName, predicateOf, timeInName } from '../record/read';
import { RUNBOOK_ID } from '../core/schema';
import { UsageError } from '../core/errors';
import { findCredential } from '../team/auth';
import { splitRepo, teamGithub } from '../team/github';
import { listOutbox } from '../team/outbox';
import { publishOutbox } from '../team/publish';
import { listTree, readBlob } from '../team/read';
import { DEFAULT_RECORDS_PATH } from '../team/target';

export interface TeamRecordsOptions {
  repo: string;
  runbook?: string;
  path?: string;
  limit?: string;
  githubApi?: string;
}

export async function teamRecordsCommand(options: TeamRecordsOptions): Promise<number> {
  splitRepo(options.repo);
  if (options.runbook !== undefined && !RUNBOOK_ID.test(options.runbook))
    throw new UsageError(`--runbook "${options.runbook}" is not a runbook id (lower-case letters, digits and -).`);
  const limit = options.limit === undefined ? 30 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of 1 or more, not "${options.limit}".`);
  const apiUrl = githubApiUrl({ flag: options.githubApi });
  const gh = teamGithub(apiUrl, await findCredential(undefined), { use: "the team's records" });
  const base = (options.path ?? DEFAULT_RECORDS_PATH).replace(/^\/+|\/+$/g, '');
  const { files, truncated } = await listTree(gh, options.repo, options.runbook ? `${base}/${options.runbook}` : base);
  // Newest first by the time in each file name, so only the records shown are ever fetched.
  const named = files
    .filter((f) => f.name.endsWith('.json') && timeInName(f.name) !== undefined)
    .sort((a, b) => timeInName(b.name)! - timeInName(a.name)!);
  const page = named.slice(0, limit);
  const rows: string[][] = [];
  // One GET /users/{login}/ssh_signing_keys per operator, however many of their records are listed.
  const keysFor = githubKeyCache(apiUrl);
  for (const file of page) {
    let bytes: Buffer;
    try {
      bytes = await readBlob(gh, options.repo, file);
    } catch (error) {
      // One record GitHub would not give (or gave wrong) is named and skipped; the listing goes on.
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `handrail: warning: ${terminalSafeLine(reason.includes(file.path) ? reason : `${options.repo}:${file.path} could not be read: ${reason}`)}\n`,
      );
      continue;
    }
    const predicate = predicateOf(bytes);
    if (!predicate) {
      process.stderr.write(`handrail: warning: ${terminalSafeLine(`${options.repo}:${file.path}`)} is not a handrail record; skipped.\n`);
      continue;
    }
    const verdict = await checkRecordOnGithub(bytes.toString('utf8'), { baseUrl: apiUrl, keysFor });
    rows.push(
      [
        predicate.end.replace(/\.\d+Z$/, 'Z'),
        predicate.runbook.id,
        predicate.runbook.version,
        predicate.mode,
        predicate.outcome,
        operatorName(predicate),
        signedColumn(verdict),
        file.path,
      ].map(terminalSafeLine),
    );
  }
  if (rows.length === 0) {
    process.stdout.write(`No records in ${options.repo} under ${base}/${options.runbook ? `${options.runbook}/` : ''}.\n`);
    return 0;
  }
  const table = [['WHEN', 'RUNBOOK', 'VERSION', 'MODE', 'OUTCOME', 'OPERATOR', 'SSH SIGNATURE', 'PATH'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const row of table) process.stdout.write(`${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
  if (named.length > page.length)
    process.stdout.write(`… ${named.length - page.length} older; show more with --limit ${Math.min(named.length, limit * 2)}.\n`);
  if (truncated)
    process.stderr.write(
      `handrail: warning: ${options.repo} has more files than GitHub lists in one tree; give --runbook ID to list one runbook's records.\n`,
    );
  return 0;
}

/** Whether the SSH signature belongs to the operator the record names, in a word or two. */
function signedColumn(verdict: IdentityVerdict): string {
  switch (verdict.status) {
    case 'verified':
      return `yes, @${verdict.login}`;
    case 'unsigned':
      return 'not signed';
    case 'unchecked':
      return verdict.login ? 'not checked' : 'no login named';
    case 'refused':
      return verdict.login ? `NOT @${verdict.login}'s` : 'BAD';
  }
}

export async function publishCommand(options: { githubApi?: string } = {}): Promise<number> {
  // Registers --github-api as the operator's choice: an entry's API must be a host they chose.
  githubApiUrl({ flag: options.githubApi });
  const waiting = listOutbox().length;
  if (waiting === 0) {
    process.stdout.write('Nothing waits to be published.\n');
    return 0;
  }
  // A line carries GitHub's own words (an error's message): untrusted, so terminal-safe.
  const { sent, failed } = await publishOutbox({ onLine: (line) => process.stdout.write(`${terminalSafeLine(line)}\n`) });
  process.stdout.write(`${sent} sent, ${failed} still waiting.\n`);
  return failed ? 1 : 0;
}
