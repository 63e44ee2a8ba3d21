// Fixtures for approval (SPEC §6.6), made with the real parts: a rehearsal record that carries a
// plan, signed with the local Ed25519 key and the rehearsing operator's SSH key (ssh-keygen), and
// approval files signed by ssh-keygen in any namespace — so tests can plant the approvals a careless
// or hostile teammate might commit.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId, pae, IN_TOTO_PAYLOAD_TYPE } from '../../src/record/dsse';
import { planDigest, type Plan } from '../../src/core/plan';
import { PREDICATE_TYPE, STATEMENT_TYPE, type Statement } from '../../src/record/predicate';
import { sshSign } from '../../src/record/ssh-keygen';
import { payloadBytes, writeRecord } from '../../src/record/write';
import { APPROVAL_TYPE } from '../../src/approval/document';
import type { TestKey } from './ssh';

/** A completed rehearsal of `runbookText` by `login`, carrying `plan`: the record file's name and bytes. */
export async function rehearsalRecord(options: {
  runbookText: string;
  runbookPath: string;
  meta: { id: string; title: string; version: string };
  plan: Plan;
  key: TestKey;
  login: string;
  end?: Date;
  tail?: string;
}): Promise<{ name: string; bytes: Buffer }> {
  const end = (options.end ?? new Date()).toISOString();
  const start = new Date(Date.parse(end) - 2000).toISOString();
  const statement: Statement = {
    _type: STATEMENT_TYPE,
    subject: [{ name: options.runbookPath, digest: { sha256: createHash('sha256').update(options.runbookText).digest('hex') } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      runbook: { ...options.meta, path: options.runbookPath, sha256: createHash('sha256').update(options.runbookText).digest('hex') },
      runId: 'rehearsal-1',
      mode: 'rehearsal',
      outcome: 'completed',
      operator: {
        user: options.login,
        host: 'laptop',
        githubLogin: options.login,
        sshSigningKey: { publicKey: options.key.line, fingerprint: options.key.fingerprint },
      },
      tool: { name: 'handrail', version: '0.1.0' },
      start,
      end,
      resumes: [],
      inputs: options.plan.inputs,
      secrets: [],
      steps: options.plan.steps.map((s) => ({
        id: s.id,
        kind: s.kind as 'run',
        title: s.title,
        status: 'rehearsed' as const,
        start,
        end,
        attempts: 1,
        output: { sha256: 'b'.repeat(64), bytes: 10, tail: options.tail ?? `rehearsed: ${s.title}\n` },
      })),
      warnings: [],
      plan: options.plan,
      planDigest: planDigest(options.plan),
      journal: { entries: 3, lastEntrySha256: 'c'.repeat(64) },
    },
  };
  const pair = generateKeyPairSync('ed25519');
  const local = { ...pair, keyid: keyId(pair.publicKey), source: 'file' as const };
  const armored = await sshSign(pae(IN_TOTO_PAYLOAD_TYPE, payloadBytes(statement)), { keyFile: options.key.path });
  const dir = mkdtempSync(join(tmpdir(), 'handrail-rehearsal-'));
  const path = writeRecord(dir, statement, local, [{ keyid: options.key.fingerprint, sig: Buffer.from(armored).toString('base64') }]);
  return { name: path.split('/').at(-1)!, bytes: readFileSync(path) };
}

/** An approval file as `handrail approve` writes it, signed by `key` — in any namespace, saying anything. */
export async function approvalFile(options: {
  key: TestKey;
  approver: string;
  planDigest: string;
  runbook: { id: string; version: string };
  at?: Date;
  namespace?: string;
  /** Changes the payload after it was signed. */
  edit?: (payload: Record<string, unknown>) => void;
}): Promise<string> {
  const payload: Record<string, unknown> = {
    planDigest: options.planDigest,
    runbook: options.runbook,
    approver: options.approver,
    at: (options.at ?? new Date()).toISOString(),
  };
  const body = Buffer.from(JSON.stringify(payload));
  const armored = await sshSign(pae(APPROVAL_TYPE, body), { keyFile: options.key.path }, options.namespace ?? 'handrail-approval');
  options.edit?.(payload);
  const signed = options.edit ? Buffer.from(JSON.stringify(payload)) : body;
  return `${JSON.stringify({ payloadType: APPROVAL_TYPE, payload: signed.toString('base64'), signatures: [{ keyid: options.key.fingerprint, sig: Buffer.from(armored).toString('base64') }] }, null, 2)}\n`;
}
