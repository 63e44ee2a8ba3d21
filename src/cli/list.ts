import { HandrailError } from '../errors';
export async function listCommand(_dir: string): Promise<number> {
  throw new HandrailError('`handrail list` is not built yet.');
}
