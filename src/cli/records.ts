import { HandrailError } from '../errors';
export async function recordsCommand(_dir: string | undefined): Promise<number> {
  throw new HandrailError('`handrail records` is not built yet.');
}
