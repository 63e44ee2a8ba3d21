// The end of a run after the engine: the record written (or one sentence on why not), the
// record published to the team's repository or left in the outbox, and the status comment's last state.
import type { EventBus } from '../core/bus';
import { HandrailError } from '../core/errors';
import type { Runbook } from '../core/model';
import type { SecretResolver } from '../core/ports';
import type { RunRecorder } from '../record/recorder';
import type { StatusReporter } from '../team/status-comment';
import type { RecordsTarget } from '../team/target';
import { publishAtEnd } from './team-run';

/** Whether the record was written; it is published (or queued) and the status comment finished either way. */
export async function finishRun(options: {
  bus: EventBus;
  runbook: Runbook;
  recorder: RunRecorder;
  reporter: StatusReporter | undefined;
  target: RecordsTarget | undefined;
  apiUrl: string;
  secrets: SecretResolver;
  warn: (message: string) => void;
}): Promise<boolean> {
  const { recorder, reporter, target } = options;
  let recordPath: string;
  try {
    recordPath = await recorder.finish();
  } catch (error) {
    if (!(error instanceof HandrailError)) throw error;
    options.warn(`the completion record was not written: ${error.message}`);
    process.stderr.write(`handrail: the completion record was not written: ${error.message}\n`);
    await reporter?.finish();
    return false;
  }
  if (target && recordPath)
    await publishAtEnd({
      bus: options.bus,
      runbook: options.runbook,
      target,
      recordPath,
      apiUrl: options.apiUrl,
      secrets: options.secrets,
    });
  await reporter?.finish();
  return true;
}
