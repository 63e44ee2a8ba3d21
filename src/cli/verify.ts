import { HandrailError } from '../errors';
export async function verifyCommand(_record: string, _options: { key?: string }): Promise<number> {
  throw new HandrailError('`handrail verify` is not built yet.');
}
