import { HandrailError } from '../errors';
export async function pickCommand(): Promise<number> {
  throw new HandrailError('the runbook picker is not built yet.');
}
