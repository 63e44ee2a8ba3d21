import { HandrailError } from '../errors';
export async function authCommand(_action: 'login' | 'status' | 'logout', _options: { name: string; withToken?: boolean }): Promise<number> {
  throw new HandrailError('`handrail auth` is not built yet.');
}
