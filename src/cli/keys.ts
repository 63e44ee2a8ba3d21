// `handrail keys export`: the record-signing public key as PEM (made on first use).
import { loadSigningKey, publicKeyPem } from '../record/keys';

export async function keysExportCommand(): Promise<number> {
  const key = await loadSigningKey({ create: true });
  if (!key) return 1;
  if (key.warning) process.stderr.write(`handrail: warning: ${key.warning}\n`);
  process.stdout.write(publicKeyPem(key.publicKey));
  return 0;
}
