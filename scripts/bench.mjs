// `npm run bench`: generates synthetic runbooks, runs each case alternately with its baseline
// (measured in the same run, on the same machine), and prints medians, ratios and peak RSS.
// Not part of `npm test`: timings never decide a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'handrail.js');
const MEASURE = join(ROOT, 'scripts', 'bench-measure.py');
const quick = process.argv.includes('--quick');
const work = mkdtempSync(join(tmpdir(), 'handrail-bench-'));
const env = {
  ...process.env,
  XDG_STATE_HOME: join(work, 'state'),
  XDG_CONFIG_HOME: join(work, 'config'),
  HANDRAIL_NO_KEYCHAIN: '1', // the signing key from a file: the keychain is not what is measured
  NO_COLOR: '1',
};
const records = join(work, 'records');

function frontMatter(id, extra = '') {
  return `---\nid: ${id}\ntitle: Bench ${id}\nversion: 1.0.0\n${extra}---\n\n# ${id}\n\n`;
}

function lintRunbook(steps) {
  let md = frontMatter(
    'lint-500',
    'inputs:\n  ORG:\n    prompt: Org\n    default: acme\n    pattern: ^[a-z-]+$\nsecrets:\n  TOKEN:\n    prompt: Token\n    env: BENCH_TOKEN\ngithub:\n  token: TOKEN\n',
  );
  for (let i = 0; i < steps; i++) {
    md += `## Step ${i}\n\nSome prose for step ${i} in {{ORG}}, with *emphasis* and \`code\`.\n\n`;
    switch (i % 5) {
      case 0:
        md += `\`\`\`sh run id=r${i} timeout=30s\necho "step ${i} $ORG"\n\`\`\`\n\n`;
        break;
      case 1:
        md += `\`\`\`bash check id=c${i} expect="ok"\necho ok\n\`\`\`\n\n`;
        break;
      case 2:
        md += `\`\`\`yaml input id=i${i}\nname: V${i}\nprompt: Value ${i}\ndefault: x\n\`\`\`\n\n`;
        break;
      case 3:
        md += `\`\`\`yaml github id=g${i}\nrequest: GET /orgs/{ORG}/repos\nexpect:\n  - "length(@) > \`0\`"\ncapture:\n  FIRST${i}: "[0].name"\n\`\`\`\n\n`;
        break;
      default:
        md += `- [ ] tick ${i}\n- [x] ticked ${i}\n\n`;
    }
  }
  return md;
}

function trivialRunbook(id, steps, body = 'true') {
  let md = frontMatter(id);
  for (let i = 0; i < steps; i++) md += `## Step ${i}\n\n\`\`\`sh run id=s${i}\n${body}\n\`\`\`\n\n`;
  return md;
}

const FLOOD = `yes "$(printf '%099d' 0)" | head -n 1000000`; // 1 M lines of 100 bytes
mkdirSync(join(work, 'rb'));
const file = (name, text) => {
  const path = join(work, 'rb', name);
  writeFileSync(path, text);
  return path;
};
const lint500 = file('lint-500.md', lintRunbook(500));
const run200 = file('run-200.md', trivialRunbook('run-200', 200));
const flood = file('flood.md', trivialRunbook('flood', 1, FLOOD));
const first200 = file('first-200.md', trivialRunbook('first-frame', 200));

function measure(cmd, options = {}) {
  const flags = [];
  if (options.pty) flags.push('--pty');
  if (options.marker) flags.push('--marker', options.marker);
  if (options.killAfterMarker) flags.push('--kill-after-marker');
  if (options.keys) flags.push('--keys', options.keys);
  for (const [text, keys] of options.then ?? []) flags.push('--then', text, keys);
  const r = spawnSync('python3', [MEASURE, ...flags, '--', ...cmd], { env, encoding: 'utf8', cwd: work });
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout.trim().split('\n').pop());
  if (options.expectCode !== undefined && result.code !== options.expectCode) {
    throw new Error(`${cmd.join(' ')} exited ${result.code}`);
  }
  return result;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const node = process.execPath;
const hr = [node, BIN];
const cases = [
  {
    name: 'lint, 500-step runbook',
    baseline: { label: 'node -e 0', cmd: [node, '-e', '0'] },
    subject: { cmd: [...hr, 'lint', lint500], expectCode: 0 },
    target: 2.5,
    runs: 15,
  },
  {
    name: '--version',
    baseline: { label: 'node -e 0', cmd: [node, '-e', '0'] },
    subject: { cmd: [...hr, '--version'], expectCode: 0 },
    target: 1.5,
    runs: 15,
  },
  {
    name: 'run --yes, 200 × `true`',
    baseline: { label: 'bash: 200 × sh -e -c true', cmd: ['bash', '-c', 'for i in $(seq 200); do sh -e -c true; done'] },
    subject: { cmd: [...hr, 'run', run200, '--yes', '--plain', '--record-dir', records], expectCode: 0 },
    target: 3,
    runs: 7,
  },
  {
    name: '100 MB output, line mode',
    baseline: { label: 'same pipeline > /dev/null', cmd: ['sh', '-e', '-c', FLOOD] },
    subject: { cmd: [...hr, 'run', flood, '--yes', '--plain', '--record-dir', records], expectCode: 0 },
    target: 1.5,
    rssLimitMiB: 150,
    runs: 3,
  },
  {
    name: '100 MB output, TUI (pty)',
    baseline: { label: 'same pipeline > /dev/null', cmd: ['sh', '-e', '-c', FLOOD] },
    // --yes means line mode, so the TUI is driven as an operator would: Enter to start, a key to leave.
    subject: {
      cmd: [...hr, 'run', flood, '--record-dir', records],
      pty: true,
      marker: 'Press Enter to start',
      keys: '\\r',
      then: [['Press any key to exit', 'x']],
      expectCode: 0,
    },
    target: 1.5,
    rssLimitMiB: 150,
    runs: 3,
  },
];

const rows = [];
for (const c of cases) {
  const runs = quick ? Math.min(3, c.runs) : c.runs;
  const base = [];
  const subj = [];
  const rss = [];
  measure(c.subject.cmd, c.subject); // warm the compile cache and the page cache
  for (let i = 0; i < runs; i++) {
    base.push(measure(c.baseline.cmd).wall);
    const r = measure(c.subject.cmd, c.subject);
    subj.push(r.wall);
    rss.push(r.rssKiB);
  }
  const b = median(base);
  const s = median(subj);
  const peak = Math.max(...rss) / 1024;
  const ok = s / b <= c.target && (!c.rssLimitMiB || peak <= c.rssLimitMiB);
  rows.push([c.name, c.baseline.label, `${(b * 1000).toFixed(0)} ms`, `${(s * 1000).toFixed(0)} ms`, `${(s / b).toFixed(2)}×`, `≤ ${c.target}×${c.rssLimitMiB ? `, ≤ ${c.rssLimitMiB} MB` : ''}`, `${peak.toFixed(0)} MB`, ok ? 'ok' : 'MISSED']);
  process.stderr.write(`  measured: ${c.name}\n`);
}

{
  // First frame: time from launch until the runbook's title is on a pseudo-terminal.
  const runs = quick ? 3 : 9;
  const times = [];
  measure([...hr, 'run', first200], { pty: true, marker: 'Bench first-frame', killAfterMarker: true });
  for (let i = 0; i < runs; i++) {
    const r = measure([...hr, 'run', first200], { pty: true, marker: 'Bench first-frame', killAfterMarker: true });
    if (r.marker == null) throw new Error('the TUI never showed the runbook title');
    times.push(r.marker);
  }
  const t = median(times) * 1000;
  rows.push(['TUI first frame, 200 steps', '—', '—', `${t.toFixed(0)} ms`, '—', '≤ 250 ms', '—', t <= 250 ? 'ok' : 'MISSED']);
}

const header = ['case', 'baseline', 'baseline median', 'handrail median', 'ratio', 'target', 'peak RSS', ''];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
process.stdout.write(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n\n${table}\n`);
rmSync(work, { recursive: true, force: true });
