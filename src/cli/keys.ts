import { HandrailError } from '../errors';
export async function keysExportCommand(): Promise<number> {
  throw new HandrailError('`handrail keys export` is not built yet.');
}
