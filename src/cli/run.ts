// `handrail run`: load the runbook, pick the front end (TUI, line mode, --json), wire secrets, GitHub,
// the journal and the record to one event bus, run the engine, and return the exit code.
import { runApproved } from '../approval/drift';
import { renderTemplate } from '../runbook/template';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../core/bus';
import { createAutoPrompter } from '../engine/auto-prompter';
import { runEngine } from '../engine/engine';
import { parseSets, validateSets } from '../engine/inputs';
import type { Prompter } from '../core/prompter';
import type { ResumeState } from '../core/ports';
import { HandrailError, UsageError } from '../core/errors';
import type { GithubFactory } from '../core/ports';
import { stateDir } from '../core/paths';
import { attachPrinter } from '../plain/printer';
import { writeJsonLines } from '../plain/json-lines';
import { abortOnSignals } from '../plain/signals';
import { createStyle } from '../plain/style';
// Straight from the modules rather than '../record': its index also brings in verification and the
// record's zod schema, which a run never needs.
import { startRecorder } from '../record/recorder';
import { discardResumable, findResumable } from '../record/resume';
import { loadUsableSigningKey } from '../record/keys';
import { findSshIdentity, type SshIdentity } from '../record/ssh-identity';
import type { SshIdentityState } from '../core/ports';
import { keychainGithubLogin } from './operator-login';
import { formatProblem } from '../runbook/format';
import { loadRunbook } from '../runbook/load';
import { githubApiUrl } from '../github/api-url';
import type { Runbook } from '../core/model';
import { createSecretResolver } from '../secrets';
import { Masker } from '../core/masker';
import { assertWritableDirs } from './writable-dirs';
import { onOutputFault } from './output-faults';
import { assertTrustedUnattended, damageSentence } from './resume-offer';
import { compareEdit } from '../record/step-match';
import { assertSameInputs, assertSomethingToResume, resumableInMode } from './resume-mode';
import { lockJournal, unlockJournal } from '../record/lock';
import { launchTui } from '../tui/launch';
import { planTeam, publishAtEnd, reportTarget, startReport } from './team-run';
import { announceRun, labelledSecrets, withSources } from './run-credentials';
import { terminalSafe, terminalSafeLine } from '../core/terminal-safe';
import { displayBus, displayPrompter, displayRunbook } from '../core/for-display';

// Defined by the bundler (scripts/build.mjs); main.ts is not imported here because it runs the CLI.
declare const HANDRAIL_VERSION: string;
const VERSION = typeof HANDRAIL_VERSION === 'string' ? HANDRAIL_VERSION : '0.0.0-dev';

export interface RunOptions {
  dryRun?: boolean;
  yes?: boolean;
  plain?: boolean;
  json?: boolean;
  set?: string[];
  recordDir?: string;
  resume?: boolean;
  restart?: boolean;
  githubApi?: string;
  recordsRepo?: string;
  reportTo?: string;
  withoutRehearsal?: string;
  withoutApproval?: string;
  approvalTimeout?: string;
  /** Under --yes, drift from the relied-on rehearsal's plan is accepted and recorded (SPEC §6.5). */
  acceptDrift?: boolean;
}

export function runCommand(path: string, options: RunOptions): Promise<number> {
  return runRunbook(path, options);
}

export async function runRunbook(path: string, options: RunOptions): Promise<number> {
  if (options.resume && options.restart) throw new UsageError('--resume and --restart contradict each other; give one of them.');
  const sets = parseSets(options.set ?? []);
  const loaded = await loadRunbook(path);
  if (!loaded.runbook || loaded.problems.length) {
    for (const problem of loaded.problems) process.stderr.write(`${formatProblem(path, problem)}\n`);
    if (!loaded.problems.length) process.stderr.write(`${path}:1:1: this runbook could not be read\n`);
    return 2;
  }
  const runbook = loaded.runbook;
  const yes = options.yes === true;
  if (!yes && !process.stdin.isTTY) {
    throw new UsageError('stdin is not a terminal, so nobody can answer questions; run it from a terminal, or pass --yes with --set NAME=VALUE for each input.');
  }
  assertWritableDirs([
    { dir: stateDir(), what: 'the run journal and step logs', fix: 'fix its permissions, or point XDG_STATE_HOME at a folder you can write to' },
    { dir: options.recordDir ?? join(stateDir(), 'records'), what: 'the completion record', fix: 'pass a --record-dir you can write to' },
  ]);

  let resume = resumableInMode(options.restart ? undefined : await findResumable(runbook), options.dryRun ? 'rehearsal' : 'live', options);
  assertSomethingToResume(resume, options);
  if (resume) assertSameInputs(resume, sets);
  if (resume) assertTrustedUnattended(resume, options);
  const edit = resume && resume.runbookChanged ? compareEdit(resume, runbook) : undefined;
  if (edit?.refusal) throw new UsageError(terminalSafe(edit.refusal));
  if (options.restart) {
    const stale = await findResumable(runbook);
    if (stale) {
      lockJournal(stale.journalPath);
      discardResumable(stale);
      unlockJournal(stale.journalPath);
    }
  }
  // Checked before anything is shown or journaled: a bad --set runs nothing (exit 2).
  validateSets(runbook, sets, { yes, known: resume?.variables });
  // A bad API URL, or a runbook naming a GitHub host the operator did not choose (SPEC §5.1), is bad
  // usage: refused before any request, and before anything is shown, journaled or run.
  const githubBaseUrl = githubApiUrl({ flag: options.githubApi, runbook: runbook.meta.github?.api });

  const mode = options.dryRun ? 'rehearsal' : 'live';
  reportTarget(options);
  // The records repository, the outbox, and a live run's rehearsal: an unrehearsed required run exits 2 here.
  const team = await planTeam(runbook, options, mode, githubBaseUrl);
  // A second person approves the plan (SPEC §6.6): waits here, before anything is shown or run.
  const approval = await (await import('./approval-for-run')).approvalFor(runbook, options, mode, team, githubBaseUrl);
  const bus = new EventBus();
  const masker = new Masker();
  const controller = new AbortController();
  const style = createStyle({ isTTY: process.stdout.isTTY === true });
  const useTui = !yes && !options.json && !options.plain && process.stdin.isTTY && process.stdout.isTTY;

  // The views (TUI, line mode, their questions) see only terminal-safe text; the engine, the journal,
  // the record and --json keep the real values.
  const shown = { runbook: displayRunbook(runbook), bus: displayBus(bus) };
  let prompter: Prompter;
  let tui: { waitForExit(): Promise<void>; unmount(): void } | undefined;
  if (useTui) {
    const session = await launchTui({ runbook: shown.runbook, mode, bus: shown.bus });
    session.abortSignal.addEventListener('abort', () => controller.abort(session.abortSignal.reason), { once: true });
    prompter = displayPrompter(session.prompter);
    tui = session;
  } else {
    if (options.json) writeJsonLines(bus, process.stdout);
    // @inquirer/prompts is loaded only when someone will be asked something: --yes never asks.
    prompter = yes
      ? createAutoPrompter()
      : displayPrompter(
          (await import('../plain/prompter')).createPlainPrompter({
            style,
            signal: controller.signal,
            // Questions belong on the terminal: with stdout in a file or a pipe they would vanish into it.
            ...(options.json || !process.stdout.isTTY ? { output: process.stderr } : {}),
          }),
        );
  }

  // After a signal nobody is there to press a key (a closed terminal, a kill): never wait for one.
  let signalled = false;
  // The end screen waits for a key; a signal then (a supervisor's SIGTERM, a closed terminal's
  // SIGHUP) ends that wait: the run is over and its record written, so there is nothing left to abort.
  let onSignalled: () => void = () => {};
  const signalArrived = new Promise<void>((resolve) => (onSignalled = resolve));
  const stopSignals = abortOnSignals(controller, () => {
    signalled = true;
    onSignalled();
  });
  // A reader that goes away (`| head`), a closed terminal (EIO) or a full disk under a redirect
  // (ENOSPC): the run stops as for a signal, the record is still written, and no stack reaches the
  // operator. Never removed: later writes fail the same way.
  onOutputFault((fault) => {
    signalled = true;
    if (!controller.signal.aborted) controller.abort(fault.code === 'EPIPE' && fault.stream === 'stdout' ? 'stdout was closed' : fault.sentence);
  });
  try {
    const decided = await decideResume(resume, runbook, prompter, options, edit?.lines ?? []);
    if (decided === null) {
      // The alternate screen would swallow the sentence: leave it first.
      tui?.unmount();
      process.stderr.write('handrail: nothing was run; the unfinished run is kept, and running this runbook again offers it again (--restart starts over).\n');
      return 1;
    }
    resume = decided;
    if (!tui && !options.json) {
      attachPrinter(shown.bus, { runbook: shown.runbook, out: process.stdout, err: process.stderr, style, ...(resume ? { finishedBefore: resume.finished } : {}) });
    }

    // The operator's SSH signing key (SPEC §6.1), found and checked while the local key loads.
    const sshLoad = findSshIdentity();
    // Loaded once and test-signed before anything is journaled or run (a key that cannot sign stops
    // the run here, exit 2): the preflight shows it and the record is signed with it.
    const key = await loadUsableSigningKey();
    const recorder = startRecorder(bus, {
      runbook,
      ...(options.recordDir ? { recordDir: options.recordDir } : {}),
      ...(resume ? { resume } : {}),
      signingKey: () => Promise.resolve(key),
      sshIdentity: () => sshLoad,
      // A journal that cannot be written (a full disk) ends the run: going on would run steps that a
      // resume could not know had finished.
      onJournalFault: (sentence) => {
        if (!controller.signal.aborted) controller.abort(sentence);
      },
    });
    const runId = resume?.runId || randomUUID();
    const signingKey = { keyid: key.keyid, source: key.source };
    const warn = (message: string) => bus.emit({ type: 'warning', at: new Date().toISOString(), message });
    for (const message of [...(resume?.warnings ?? []), ...team.warnings]) warn(message);
    const secrets = labelledSecrets(createSecretResolver({ prompter, masker, onWarning: warn }), runbook);
    // Each token's source and host, told before the first request that carries it (SPEC §5.1).
    await announceRun({ bus, runbook, secrets, apiUrl: githubBaseUrl, ...(team.target ? { target: team.target } : {}), reporting: reportTarget(options) !== undefined });
    const reporter = await startReport(bus, runbook, options, githubBaseUrl, warn, approval?.commentId);

    const result = await runEngine({
      runbook,
      bus,
      prompter,
      mode,
      yes,
      sets,
      masker,
      secrets,
      ...(await githubFor(runbook, githubBaseUrl, secrets.sourceOf)),
      ...(resume ? { resume } : {}),
      signal: controller.signal,
      runId,
      logDir: join(stateDir(), 'logs', runId),
      tool: { name: 'handrail', version: VERSION },
      operator: { user: safeUser(), host: hostname() },
      signingKey,
      notices: [...team.notices, ...(approval?.notices ?? [])],
      ...(team.rehearsal ? { rehearsal: team.rehearsal } : {}),
      ...(approval ? { approval: approval.record } : {}),
      // A plan a second person approved cannot drift on the operator's word alone (SPEC §6.6).
      ...(team.heldTo ? { heldTo: { ...team.heldTo, approved: runApproved(approval?.record) } } : {}),
      acceptDrift: options.acceptDrift === true,
      sshIdentity: identityState(await sshLoad.catch((error: unknown): SshIdentity => ({ status: 'problem', message: error instanceof Error ? error.message : String(error) }))),
      operatorLogin: () => (approval?.operatorLogin ? Promise.resolve({ login: approval.operatorLogin }) : keychainGithubLogin(githubBaseUrl)),
    });

    let recordPath: string;
    try {
      recordPath = await recorder.finish();
    } catch (error) {
      if (!(error instanceof HandrailError)) throw error;
      warn(`the completion record was not written: ${error.message}`);
      process.stderr.write(`handrail: the completion record was not written: ${error.message}\n`);
      await reporter?.finish();
      return 1;
    }
    if (team.target && recordPath) await publishAtEnd({ bus, runbook, target: team.target, recordPath, apiUrl: githubBaseUrl, secrets });
    await reporter?.finish();
    if (tui && !signalled) await Promise.race([tui.waitForExit(), signalArrived]);
    return result.exitCode;
  } finally {
    stopSignals();
    tui?.unmount();
  }
}

/** The resume to use, undefined to start fresh, or null when the operator aborted. */
async function decideResume(
  found: ResumeState | undefined,
  runbook: Runbook,
  prompter: Prompter,
  options: RunOptions,
  edits: string[],
): Promise<ResumeState | undefined | null> {
  if (!found) return undefined;
  const next = runbook.steps.find((s) => !found.finished.has(s.id));
  const damage = damageSentence(found);
  // --resume answers "resume or start over", not "trust a damaged journal": that is still asked.
  if ((options.resume || options.yes) && !damage) {
    if (found.runbookChanged) process.stderr.write(`handrail: ${terminalSafeLine(runbook.path)} has changed since the unfinished run began; resuming it anyway.\n`);
    for (const line of edits) process.stderr.write(`handrail:   - ${terminalSafeLine(line)}\n`);
    return found;
  }
  const answer = await prompter.resume({
    // The earlier run's values fill the title ("Re-tag {{IMAGE}}"); secrets are never in a journal.
    ...(next ? { nextStepTitle: terminalSafeLine(renderTemplate(next.title, found.variables, new Set(Object.keys(runbook.meta.secrets ?? {})))) } : {}),
    finishedSteps: found.finished.size,
    changed: found.runbookChanged,
    ...(damage ? { damage } : {}),
    ...(edits.length ? { edits: edits.map(terminalSafeLine) } : {}),
  });
  if (answer === 'abort') return null;
  if (answer === 'restart') {
    discardResumable(found);
    unlockJournal(found.journalPath);
    return undefined;
  }
  return found;
}

/** Whether anything in the runbook talks to GitHub: github steps, a github token, or scopes to check. */
function needsGithub(runbook: Runbook): boolean {
  return (
    runbook.meta.github?.token !== undefined ||
    runbook.steps.some((s) => s.kind === 'github') ||
    Object.values(runbook.meta.secrets ?? {}).some((spec) => (spec.scopes?.length ?? 0) > 0)
  );
}

/** The GitHub client, loaded (octokit and all) only for a runbook that talks to GitHub. */
async function githubFor(runbook: Runbook, githubBaseUrl: string, sourceOf: (token: string | undefined) => string | undefined): Promise<{ github?: GithubFactory; githubBaseUrl?: string }> {
  if (!needsGithub(runbook)) return {};
  const { createGithubRunner } = await import('../github');
  return { github: withSources(createGithubRunner, sourceOf), githubBaseUrl };
}

/** What the engine needs to know of the SSH identity: never the signer itself. */
function identityState(identity: SshIdentity): SshIdentityState {
  return identity.status === 'ready' ? { status: 'ready', fingerprint: identity.signer.key.fingerprint, via: identity.signer.via } : identity;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
