// keytar runs in a child process of its own. keytar crashes the process (SIGSEGV) that lists items it
// could not unlock, and a Secret Service that never answers leaves keytar's call in Node's thread
// pool, which Node waits for even when exiting (until D-Bus gives up, 25-50 s later). A child can
// crash, or be killed at the timeout, and handrail goes on and ends when it is done. Values pass over
// the IPC pipe, never on a command line.
import { spawn, type ChildProcess } from 'node:child_process';

const WORKER = `let keytar;
process.on('message', ({ id, op, args }) => {
  Promise.resolve()
    .then(() => (keytar ??= require(process.argv[1]))[op](...args))
    .then(
      (value) => process.send({ id, value: value ?? null }),
      (e) => process.send({ id, error: String((e && e.message) || e) }),
    );
});
process.on('disconnect', () => process.exit(0));`;

export type KeytarOp = 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials';

/** A call that got no answer: the keychain did not answer in time (the child was killed), or keytar crashed. */
export class KeytarGone extends Error {
  constructor(readonly why: 'timeout' | 'crashed') {
    super(why === 'timeout' ? 'the keychain did not answer in time' : 'the keychain module crashed');
  }
}

interface Reply {
  id: number;
  value?: unknown;
  error?: string;
}

/** Starts keytar (at `keytarPath`) in a child on the first call; each call fails after `timeoutMs`. */
export function startKeytar(keytarPath: string, timeoutMs: number): (op: KeytarOp, ...args: string[]) => Promise<unknown> {
  let child: ChildProcess | undefined;
  let gone: KeytarGone | undefined;
  let next = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  // Once the child is gone, every call waiting and every later one fails the same way.
  const end = (why: KeytarGone) => {
    gone ??= why;
    for (const waiting of pending.values()) waiting.reject(gone);
    pending.clear();
  };

  const worker = (): ChildProcess => {
    if (child) return child;
    child = spawn(process.execPath, ['-e', WORKER, keytarPath], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    child.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.value);
    });
    child.on('exit', () => end(new KeytarGone('crashed')));
    child.on('error', () => end(new KeytarGone('crashed')));
    // Only a call waiting for its answer (its timer) keeps handrail running, never the child itself.
    child.unref();
    child.channel?.unref();
    return child;
  };

  return (op, ...args) => {
    if (gone) return Promise.reject(gone);
    const id = next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        end(new KeytarGone('timeout'));
        child?.kill('SIGKILL');
      }, timeoutMs);
      const settle = () => clearTimeout(timer);
      pending.set(id, {
        resolve: (value) => (settle(), resolve(value)),
        reject: (error) => (settle(), reject(error)),
      });
      worker().send({ id, op, args });
    });
  };
}
