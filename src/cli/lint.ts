import { HandrailError } from '../errors';
export async function lintCommand(_files: string[]): Promise<number> {
  throw new HandrailError('`handrail lint` is not built yet.');
}
