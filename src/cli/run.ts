import { HandrailError } from '../errors';
export async function runCommand(_runbook: string, _options: Record<string, unknown>): Promise<number> {
  throw new HandrailError('`handrail run` is not built yet.');
}
