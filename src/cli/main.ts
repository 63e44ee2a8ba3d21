// Argument parsing only: each command lives in its own file and is imported when it runs,
// so `handrail lint` and `handrail --version` never load React or Ink.
import { Command, CommanderError, Option } from 'commander';
import { HandrailError, UsageError } from '../core/errors';
import { guardProcessOutput, onOutputFault } from './output-faults';
import { terminalSafe } from '../core/terminal-safe';

declare const HANDRAIL_VERSION: string;
export const VERSION = typeof HANDRAIL_VERSION === 'string' ? HANDRAIL_VERSION : '0.0.0-dev';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('handrail')
    .description(
      'Walk an operator through a markdown runbook, step by step.\n\nWith no command, handrail opens a picker of the runbooks in ./runbooks (Enter runs one live, d rehearses it).',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .exitOverride();

  program
    .command('run', { isDefault: false })
    .description('run a runbook (TUI on a terminal, line mode otherwise)')
    .argument('<runbook>', 'the runbook markdown file')
    .option('--dry-run', 'rehearse: checks and GET requests run, changes are shown, not made')
    .option('-y, --yes', 'non-interactive: inputs from --set and defaults, confirmations accepted')
    .option('--plain', 'line-by-line output instead of the TUI')
    .option('--json', 'write the run events as JSON lines on stdout')
    .option('--set <NAME=VALUE>', 'give an input a value (repeatable)', collect, [])
    .option('--record-dir <dir>', 'where to write the completion record')
    .addOption(new Option('--resume', 'resume an unfinished run without asking').conflicts('restart'))
    .addOption(new Option('--restart', 'start over, ignoring an unfinished run').conflicts('resume'))
    .option(
      '--github-api <url>',
      "a GitHub API you choose to trust with your token (also HANDRAIL_GITHUB_API); a runbook's github.api is used only on a host you chose",
    )
    .option(
      '--records-repo <owner/repo>',
      'also commit the record to this team repository (also HANDRAIL_RECORDS_REPO; overrides records.repo)',
    )
    .option('--report-to <owner/repo#number>', 'keep one status comment on this issue current while the run goes (also HANDRAIL_REPORT_TO)')
    .option('--without-rehearsal <reason>', 'run live although rehearsal.required finds no rehearsal; the reason goes into the record')
    .option(
      '--without-approval <reason>',
      'break glass: run live although approval: is not given; the record says NOT APPROVED with the reason',
    )
    .option('--approval-timeout <duration>', 'how long --yes waits for approval (default 30m); then exit 1, nothing run')
    .option(
      '--accept-drift',
      'with --yes: go on when the live run differs from the rehearsal it relies on (recorded); without it such drift ends the run',
    )
    .action(async (runbook: string, options) => {
      const { runCommand } = await import('./run');
      process.exitCode = await runCommand(runbook, options);
    });

  program
    .command('lint')
    .description('check runbooks; prints file:line:col: message for each problem')
    .argument('<runbook...>', 'runbook markdown files')
    .action(async (files: string[]) => {
      const { lintCommand } = await import('./lint');
      process.exitCode = await lintCommand(files);
    });

  program
    .command('list')
    .description('list runbooks: id, version, title, path')
    .argument('[dir]', 'folder to search', 'runbooks')
    .action(async (dir: string) => {
      const { listCommand } = await import('./list');
      process.exitCode = await listCommand(dir);
    });

  program
    .command('verify')
    .description('verify a signed completion record')
    .argument('<record>', 'the record JSON file')
    .option('--key <public.pem>', 'verify against this public key')
    .addOption(
      new Option('--github', "check that the record's SSH signing key is the named GitHub user's (no token needed)").conflicts(
        'allowedSigners',
      ),
    )
    .addOption(
      new Option(
        '--allowed-signers <file>',
        "check the record's SSH signing key against a git-style allowed-signers file, offline",
      ).conflicts('github'),
    )
    .option('--github-api <url>', 'GitHub API base URL for --github (also HANDRAIL_GITHUB_API)')
    .action(async (record: string, options) => {
      const { verifyCommand } = await import('./verify');
      process.exitCode = await verifyCommand(record, options);
    });

  const records = program
    .command('records')
    .description("list past runs, newest first: this machine's, or the team's with --repo")
    .argument('[dir]', 'records folder (default: the state directory)')
    .option('--repo <owner/repo>', "list the team's records in this GitHub repository")
    .option('--runbook <id>', 'only this runbook (with --repo)')
    .option('--path <folder>', 'folder of the records in the repository (with --repo)', 'records')
    .option('--limit <n>', 'show at most this many, newest first (with --repo)', '30')
    .option('--github-api <url>', 'GitHub API base URL (also HANDRAIL_GITHUB_API)')
    .action(async (dir: string | undefined, options) => {
      if (options.repo) {
        const { teamRecordsCommand } = await import('./team-records');
        process.exitCode = await teamRecordsCommand(options);
        return;
      }
      const { recordsCommand } = await import('./records');
      process.exitCode = await recordsCommand(dir);
    });
  records
    .command('publish')
    .description("send the records waiting in the outbox to the team's repository")
    .option('--github-api <url>', 'a GitHub API base URL to trust for the waiting records (also HANDRAIL_GITHUB_API)')
    .action(async (_options: unknown, command: Command) => {
      const { publishCommand } = await import('./team-records');
      // `records` has --github-api too, and commander gives it to whichever command it reads first.
      process.exitCode = await publishCommand(command.optsWithGlobals<{ githubApi?: string }>());
    });

  program
    .command('approve')
    .description('list plans waiting for approval in a records repository, or review one and sign your approval')
    .argument('<owner/repo>', "the team's records repository")
    .argument('[runbook-id]', 'only this runbook')
    .option('--path <folder>', 'folder of the records in the repository', 'records')
    .option('--plain', 'line-by-line instead of the full-screen review')
    .option('--github-api <url>', 'GitHub API base URL (also HANDRAIL_GITHUB_API)')
    .action(async (repo: string, runbookId: string | undefined, options) => {
      const { approveCommand } = await import('./approve');
      process.exitCode = await approveCommand(repo, runbookId, options);
    });

  const auth = program.command('auth').description('keep GitHub tokens in the OS keychain');
  for (const [name, description] of [
    ['login', 'store a token in the keychain (asked masked, or --with-token from stdin)'],
    ['status', 'show stored tokens: account, age, scopes (never the value)'],
    ['logout', 'remove a stored token'],
  ] as const) {
    const sub = auth.command(name).description(description).option('--name <account>', 'keychain account', 'github');
    if (name === 'login') sub.option('--with-token', 'read the token piped on stdin (on a terminal it is asked masked)');
    if (name === 'status') sub.option('--github-api <url>', 'GitHub API base URL for the scope check (also HANDRAIL_GITHUB_API)');
    sub.action(async (options) => {
      const { authCommand } = await import('./auth');
      process.exitCode = await authCommand(name, options);
    });
  }

  const keys = program.command('keys').description('the record-signing key');
  keys
    .command('export')
    .description('print the record-signing public key as PEM')
    .action(async () => {
      const { keysExportCommand } = await import('./keys');
      process.exitCode = await keysExportCommand();
    });

  // Bare `handrail` opens the picker; anything else that is not a command is a typo worth naming.
  program.allowExcessArguments(true).action(async () => {
    if (program.args.length) {
      throw new UsageError(`'${program.args[0]}' is not a handrail command; see \`handrail --help\`.`);
    }
    const { pickCommand } = await import('./pick');
    process.exitCode = await pickCommand();
  });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  // A reader that leaves early (`handrail records | head`) is not a crash: the rest is dropped quietly.
  // Any other write error (a closed terminal, a full disk) is one sentence, never a stack trace.
  guardProcessOutput();
  onOutputFault((fault) => {
    if (fault.code === 'EPIPE') return;
    process.stderr.write(`handrail: ${fault.sentence}.\n`);
    process.exitCode = 1;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parse error is bad usage.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof HandrailError) {
      process.stderr.write(`handrail: ${terminalSafe(error.message)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`handrail: unexpected error: ${terminalSafe(message)}\n`);
    if (process.env.HANDRAIL_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
