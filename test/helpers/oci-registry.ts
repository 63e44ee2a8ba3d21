// A real OCI registry on loopback (Debian's docker-registry, the CNCF distribution server) and images
// pushed to it with the real skopeo, for tests of runbook commands that read and move tags.
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OciRegistry {
  /** host:port, e.g. 127.0.0.1:41234. */
  host: string;
  /** Pushes a one-layer image whose content is `content`, under `repo:tag`; returns its manifest digest. */
  push(repo: string, tag: string, content: string): Promise<string>;
  /** The digest `repo:tag` points at now, as the registry answers it. */
  digestOf(repo: string, tag: string): Promise<string>;
  close(): Promise<void>;
}

export function haveRegistryTools(): boolean {
  const which = (cmd: string) => {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  return which('docker-registry') && which('skopeo');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** An OCI image layout holding one image, written by hand: skopeo reads it like any other. */
function writeLayout(dir: string, content: string): void {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: string) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: Buffer.byteLength(data) };
  };
  const layer = put(content);
  const config = put(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      config: {},
    }),
  );
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
    }),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
}

export async function startOciRegistry(): Promise<OciRegistry> {
  const root = mkdtempSync(join(tmpdir(), 'handrail-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(root, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: error }',
      'storage:',
      `  filesystem: { rootdirectory: ${join(root, 'data')} }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const response = await fetch(`http://${host}/v2/`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${host}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let images = 0;
  const registry: OciRegistry = {
    host,
    async push(repo, tag, content) {
      const layout = join(root, `image-${images++}`);
      writeLayout(layout, content);
      await run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${host}/${repo}:${tag}`]);
      return registry.digestOf(repo, tag);
    },
    async digestOf(repo, tag) {
      const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${host}/${repo}:${tag}`]);
      return (JSON.parse(stdout) as { Digest: string }).Digest;
    },
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return registry;
}
