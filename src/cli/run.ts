// `handrail run`, as composition only: each step of a run's life is a call to the file that owns it —
// loading (run-load), resume (run-resume), team and approval, the front end (run-front-end), what
// interrupts a run (run-interrupts), who records it (run-record), credentials, the engine, and the end
// (run-finish). The order here is the contract: everything that can refuse (exit 2) comes before
// anything is shown, journaled or run.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { runApproved } from '../approval/drift';
import { EventBus } from '../core/bus';
import { UsageError } from '../core/errors';
import { Masker } from '../core/masker';
import { stateDir } from '../core/paths';
import { runEngine } from '../engine/engine';
import { parseSets, validateSets } from '../engine/inputs';
import { githubApiUrl } from '../github/api-url';
import { createSecretResolver } from '../secrets';
import { keychainGithubLogin } from './operator-login';
import { announceRun, githubFor, labelledSecrets } from './run-credentials';
import { finishRun } from './run-finish';
import { openFrontEnd } from './run-front-end';
import { abortOnInterrupts } from './run-interrupts';
import { loadForRun } from './run-load';
import { operator, startRecording, TOOL } from './run-record';
import { findResume, offerResume } from './run-resume';
import { planTeam, reportTarget, startReport } from './team-run';

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
  const runbook = await loadForRun(path, options);
  if (!runbook) return 2;
  const yes = options.yes === true;
  const mode = options.dryRun ? 'rehearsal' : 'live';
  const unfinished = await findResume(runbook, sets, mode, options);
  // Checked before anything is shown or journaled: a bad --set runs nothing (exit 2).
  validateSets(runbook, sets, { yes, known: unfinished.found?.variables });
  // A bad API URL, or a runbook naming a GitHub host the operator did not choose (SPEC §5.1), is bad
  // usage: refused before any request, and before anything is shown, journaled or run.
  const githubBaseUrl = githubApiUrl({ flag: options.githubApi, runbook: runbook.meta.github?.api });
  reportTarget(options);
  // The records repository, the outbox, and a live run's rehearsal: an unrehearsed required run exits 2 here.
  const team = await planTeam(runbook, options, mode, githubBaseUrl);
  // A second person approves the plan (SPEC §6.6): waits here, before anything is shown or run.
  const approval = await (await import('./approval-for-run')).approvalFor(runbook, options, mode, team, githubBaseUrl);

  const bus = new EventBus();
  const masker = new Masker();
  const controller = new AbortController();
  const { prompter, tui, attachLines } = await openFrontEnd({ runbook, bus, mode, flags: options, controller });
  const interrupts = abortOnInterrupts(controller);
  try {
    const resume = await offerResume(unfinished, runbook, prompter, options);
    if (resume === null) {
      // The alternate screen would swallow the sentence: leave it first.
      tui?.unmount();
      process.stderr.write(
        'handrail: nothing was run; the unfinished run is kept, and running this runbook again offers it again (--restart starts over).\n',
      );
      return 1;
    }
    attachLines();

    const { recorder, signingKey, sshIdentity } = await startRecording({
      bus,
      runbook,
      controller,
      ...(options.recordDir ? { recordDir: options.recordDir } : {}),
      ...(resume ? { resume } : {}),
    });
    const runId = resume?.runId || randomUUID();
    const warn = (message: string) => bus.emit({ type: 'warning', at: new Date().toISOString(), message });
    for (const message of [...(resume?.warnings ?? []), ...team.warnings]) warn(message);
    const secrets = labelledSecrets(createSecretResolver({ prompter, masker, onWarning: warn }), runbook);
    // Each token's source and host, told before the first request that carries it (SPEC §5.1).
    await announceRun({
      bus,
      runbook,
      secrets,
      apiUrl: githubBaseUrl,
      ...(team.target ? { target: team.target } : {}),
      reporting: reportTarget(options) !== undefined,
    });
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
      tool: TOOL,
      operator: operator(),
      signingKey,
      notices: [...team.notices, ...(approval?.notices ?? [])],
      ...(team.rehearsal ? { rehearsal: team.rehearsal } : {}),
      ...(approval ? { approval: approval.record } : {}),
      // A plan a second person approved cannot drift on the operator's word alone (SPEC §6.6).
      ...(team.heldTo ? { heldTo: { ...team.heldTo, approved: runApproved(approval?.record) } } : {}),
      acceptDrift: options.acceptDrift === true,
      sshIdentity: await sshIdentity(),
      operatorLogin: () =>
        approval?.operatorLogin ? Promise.resolve({ login: approval.operatorLogin }) : keychainGithubLogin(githubBaseUrl),
    });

    const recorded = await finishRun({ bus, runbook, recorder, reporter, target: team.target, apiUrl: githubBaseUrl, secrets, warn });
    if (!recorded) return 1;
    if (tui && !interrupts.signalled()) await Promise.race([tui.waitForExit(), interrupts.arrived]);
    return result.exitCode;
  } finally {
    interrupts.stop();
    tui?.unmount();
  }
}
