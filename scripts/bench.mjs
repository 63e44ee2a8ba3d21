// `npm run bench [-- --quick] [-- --only WORD]`: issue #17's table. Each case runs alternately with its baseline, both
// measured in this run on this machine; the table gives medians, ratios and peak RSS. Not part of
// `npm test`: timings never decide a test. Every measurement has a timeout, so a bench never hangs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'handrail.js');
const MEASURE = join(ROOT, 'scripts', 'bench-measure.py');
const MARKDOWNLINT = join(ROOT, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
const quick = process.argv.includes('--quick');
// `--only WORD`: just the cases whose name contains WORD.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const work = mkdtempSync(join(tmpdir(), 'handrail-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true })); // also when the bench fails
const env = {
  ...process.env,
  XDG_STATE_HOME: join(work, 'state'),
  XDG_CONFIG_HOME: join(work, 'config'),
  HANDRAIL_NO_KEYCHAIN: '1', // the signing key from a file: the keychain is not what is measured
  NO_COLOR: '1',
};
const records = join(work, 'records');
const node = process.execPath;
const hr = [node, BIN];
const sh = (script) => ['sh', '-c', script];
const quote = (words) => words.map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(' ');

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

function stepsRunbook(id, steps, body) {
  let md = frontMatter(id);
  for (let i = 0; i < steps; i++) md += `## Step ${i}\n\n\`\`\`sh run id=s${i}\n${body}\n\`\`\`\n\n`;
  return md;
}

mkdirSync(join(work, 'rb'));
const file = (name, text) => {
  const path = join(work, 'rb', name);
  writeFileSync(path, text);
  return path;
};
const LINES_100MB = `yes "$(printf '%099d' 0)" | head -n 1000000`; // 1 M lines of 100 bytes
const FLOOD_3M = "seq -f 'FLOODLINE %.0f' 3000000"; // a word found in no other text on the screen
// The floor for `run --yes`: what Node itself costs to spawn the same 200 steps as handrail does (piped stdio,
// own process group), one after another; handrail's per-step cost is read against this.
const spawnFloor = file(
  'spawn-floor.mjs',
  `import { spawn } from 'node:child_process';
for (let i = 0; i < 200; i++) {
  await new Promise((done, fail) => {
    const child = spawn('sh', ['-e', '-c', 'true'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', fail);
    child.on('close', done);
  });
}
`,
);
const lint500 = file('lint-500.md', lintRunbook(500));
const run200 = file('run-200.md', stepsRunbook('run-200', 200, 'true'));
const big = file('big.md', stepsRunbook('big', 1, LINES_100MB));
const flood = file('flood.md', stepsRunbook('flood', 1, FLOOD_3M));
const rollback = join(ROOT, 'runbooks', 'emergency-rollback.md');

function measure(cmd, options = {}) {
  const flags = ['--timeout', String(options.timeout ?? 120)];
  if (options.stdout) flags.push('--stdout', options.stdout);
  if (options.pty) flags.push('--pty', options.pty);
  for (const [text, keys, pause, resend] of options.waits ?? []) {
    flags.push('--wait', text);
    if (pause) flags.push('--pause', String(pause));
    if (keys) flags.push('--send', keys);
    if (resend) flags.push('--resend', String(resend));
  }
  if (options.killAfterLast) flags.push('--kill-after-last');
  const r = spawnSync('python3', [MEASURE, ...flags, '--', ...cmd], { env, encoding: 'utf8', cwd: work });
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout.trim().split('\n').pop());
  if (result.timedOut) {
    const waiting = options.waits?.[result.marks.length]?.[0];
    throw new Error(
      `timed out after ${options.timeout ?? 120} s${waiting ? ` waiting for "${waiting}"; the screen ended: ${result.screen.slice(-300)}` : ''}`,
    );
  }
  if (options.expectCode !== undefined && result.code !== options.expectCode) throw new Error(`${cmd.join(' ')} exited ${result.code}`);
  if (options.waits && result.marks.length < options.waits.length) {
    throw new Error(`${cmd.join(' ')}: "${options.waits[result.marks.length][0]}" never appeared`);
  }
  return result;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
const mb = (kib) => `${(kib / 1024).toFixed(0)} MB`;

// Install time: the packed tarball into an empty prefix, offline, with an empty npm cache; the baseline
// is the same install of a package holding one script, i.e. npm's own cost of any global install.
const packDir = join(work, 'pack');
const tarball = execFileSync(node, [join(ROOT, 'scripts', 'pack.mjs'), '--pack-destination', packDir], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .trim()
  .split('\n')
  .pop();
const tiny = join(work, 'tiny');
mkdirSync(join(tiny, 'bin'), { recursive: true });
writeFileSync(join(tiny, 'package.json'), JSON.stringify({ name: 'tiny', version: '1.0.0', bin: { tiny: 'bin/tiny.js' } }));
writeFileSync(join(tiny, 'bin', 'tiny.js'), '#!/usr/bin/env node\n');
const tinyTarball = join(
  packDir,
  JSON.parse(execFileSync('npm', ['pack', tiny, '--pack-destination', packDir, '--json'], { encoding: 'utf8' }))[0].filename,
);
let installs = 0;
const install = (tgz) => {
  const dir = join(work, `install-${installs++}`);
  mkdirSync(join(dir, 'prefix', 'lib'), { recursive: true });
  const args = [
    'install',
    '-g',
    '--prefix',
    join(dir, 'prefix'),
    '--cache',
    join(dir, 'cache'),
    '--offline',
    '--omit=optional',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    tgz,
  ];
  return sh(`npm ${quote(args)} >/dev/null`);
};

const plain = (runbook) => [...hr, 'run', runbook, '--yes', '--plain', '--record-dir', records];
const PIPELINE_TEE = `${LINES_100MB} | tee ${join(work, 'tee.log')} | sha256sum`;

/**
 * Each case: a subject (handrail) and, where one makes sense, a baseline; `value` picks the figure from a
 * measurement (seconds or KiB); `target` is a ratio to the baseline, or an absolute bound.
 */
const cases = [
  {
    name: 'lint, 500-step runbook (71 KB)',
    baseline: { label: '`node -e 0`', cmd: [node, '-e', '0'] },
    subject: { cmd: [...hr, 'lint', lint500], expectCode: 0 },
    target: { ratio: 2.5 },
    runs: 15,
  },
  {
    name: 'lint, same file',
    // It exits 1 for the style findings it reports, so only its presence is checked.
    baseline: { label: 'markdownlint-cli2, same file', cmd: [node, MARKDOWNLINT, lint500], needs: MARKDOWNLINT },
    subject: { cmd: [...hr, 'lint', lint500], expectCode: 0 },
    target: { ratio: 0.2 },
    runs: 9,
  },
  {
    name: '`run --yes`, 200 × `true` (journal and record included)',
    baseline: { label: 'bash: 200 × `sh -e -c true`', cmd: ['bash', '-c', 'for i in $(seq 200); do sh -e -c true; done'] },
    subject: { cmd: plain(run200), expectCode: 0 },
    target: { ratio: 2.5 },
    runs: 7,
  },
  {
    name: '`run --yes`, same runbook, against the bare-Node spawn floor',
    baseline: { label: 'Node: 200 × spawn `sh -e -c true` (piped, own group)', cmd: [node, spawnFloor] },
    subject: { cmd: plain(run200), expectCode: 0 },
    target: {},
    perStep: 200, // also prints (handrail − floor) / steps
    runs: 7,
  },
  {
    name: 'one step printing 100 MB, stdout to /dev/null',
    baseline: { label: 'same pipeline `\\| tee LOG \\| sha256sum`', cmd: sh(PIPELINE_TEE) },
    subject: { cmd: plain(big), expectCode: 0 },
    target: { ratio: 1.0 },
    runs: 5,
  },
  {
    name: 'one step printing 100 MB, stdout to a pipe (a reader)',
    baseline: { label: 'same pipeline `\\| tee LOG \\| sha256sum`, to a pipe', cmd: sh(PIPELINE_TEE), stdout: 'pipe' },
    subject: { cmd: plain(big), stdout: 'pipe', expectCode: 0 },
    target: { ratio: 1.0 },
    runs: 5,
  },
  {
    name: 'peak RSS of that step, stdout to a slow pipe (stalls 2 s, then reads)',
    subject: { cmd: sh(`${quote(plain(big))} | (sleep 2; cat >/dev/null)`), expectCode: 0 },
    value: 'rss',
    target: { kib: 150 * 1024 },
    runs: 3,
  },
  {
    // The header is painted with a few escape codes before Ink loads; Ink's own first frame adds the
    // key line. Both are what an operator sees, so both are timed; the target is read against Ink's.
    name: 'TUI first frame, bundled emergency-rollback (80×24): header / Ink frame',
    // Not a target's baseline (the target is absolute): Node's own start-up, to read the figure against.
    baseline: { label: '`node -e 0` (for scale)', cmd: [node, '-e', '0'] },
    subject: {
      cmd: [...hr, 'run', rollback, '--restart', '--record-dir', records],
      pty: '80x24',
      waits: [['Emergency rollback of a channel tag'], ['? help']],
      killAfterLast: true,
      timeout: 30,
    },
    value: 'marks',
    target: { seconds: 0.15 },
    runs: 9,
  },
  {
    name: 'TUI: key press (`l`, the output) to new frame during a 3M-line flood',
    subject: {
      cmd: [...hr, 'run', flood, '--restart', '--record-dir', records],
      pty: '80x24',
      // Enter starts the run (again if the first was typed before the TUI read the terminal); once the flood
      // is on screen and has run half a second, `l` opens the output.
      waits: [['Press Enter to start', '\\r', 0, 3], ['FLOODLINE ', 'l', 0.5], ['Output of']],
      killAfterLast: true,
      timeout: 60,
    },
    value: 'lastMark',
    target: { seconds: 0.05 },
    runs: 5,
  },
  {
    name: 'install: `npm install -g` of the packed tarball (offline, keytar omitted)',
    baseline: { label: 'same install of a one-file package', cmd: () => install(tinyTarball) },
    subject: { cmd: () => install(tarball) },
    target: {},
    runs: 3,
  },
];

const cmdOf = (side) => (typeof side.cmd === 'function' ? side.cmd() : side.cmd);
const pick = (c, r) => (c.value === 'rss' ? r.rssKiB : c.value === 'marks' ? r.marks : c.value === 'lastMark' ? r.marks.at(-1) : r.wall);

const loadAtStart = loadavg();
const rows = [];
for (const c of cases.filter((x) => only === undefined || x.name.includes(only))) {
  const began = Date.now();
  try {
    rows.push(runCase(c));
  } catch (error) {
    rows.push([c.name, c.baseline?.label ?? '—', '—', `not measured: ${error.message.split('\n')[0]}`, '—', '—', '—', 'missed']);
  }
  process.stderr.write(`  measured in ${((Date.now() - began) / 1000).toFixed(0)} s: ${c.name}\n`);
}
const loadAtEnd = loadavg();

function runCase(c) {
  if (c.baseline?.needs && !existsSync(c.baseline.needs)) throw new Error('the baseline is not installed: run npm install');
  const runs = quick ? Math.min(3, c.runs) : c.runs;
  const base = [];
  const subj = [];
  const rss = [];
  measure(cmdOf(c.subject), c.subject); // warms the compile cache and the page cache
  for (let i = 0; i < runs; i++) {
    if (c.baseline) base.push(measure(cmdOf(c.baseline), c.baseline).wall);
    const r = measure(cmdOf(c.subject), c.subject);
    subj.push(pick(c, r));
    rss.push(r.rssKiB);
  }
  const peak = mb(Math.max(...rss));
  let row;
  if (c.value === 'rss') {
    const m = median(subj);
    row = [c.name, '—', '—', mb(m), '—', `≤ ${mb(c.target.kib)}`, m <= c.target.kib ? 'met' : 'missed'];
  } else if (c.value === 'marks') {
    const header = median(subj.map((m) => m[0]));
    const frame = median(subj.map((m) => m[0] + m[1]));
    const b = median(base);
    row = [
      c.name,
      c.baseline.label,
      ms(b),
      `${ms(header)} / ${ms(frame)}`,
      `${(header / b).toFixed(2)}× / ${(frame / b).toFixed(2)}×`,
      `≤ ${ms(c.target.seconds)}`,
      frame <= c.target.seconds ? 'met' : 'missed',
    ];
  } else if (c.value === 'lastMark') {
    const m = median(subj);
    row = [c.name, '—', '—', ms(m), '—', `≤ ${ms(c.target.seconds)}`, m <= c.target.seconds ? 'met' : 'missed'];
  } else {
    const b = median(base);
    const s = median(subj);
    const ratio = s / b;
    const verdict = c.target.ratio === undefined ? '—' : ratio <= c.target.ratio ? 'met' : 'missed';
    const perStep = c.perStep ? `; ${(((s - b) * 1e6) / c.perStep).toFixed(0)} µs a step over the floor` : '';
    row = [
      c.name,
      c.baseline.label,
      ms(b),
      ms(s),
      `${ratio.toFixed(2)}×${perStep}`,
      c.target.ratio === undefined ? '—' : `≤ ${c.target.ratio}×`,
      verdict,
    ];
  }
  return [...row.slice(0, 6), peak, row[6]];
}

const header = ['case', 'baseline', 'baseline median', 'handrail median', 'ratio', 'target', 'peak RSS', ''];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const load = (l) => l.map((x) => x.toFixed(2)).join(', ');
process.stdout.write(
  `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
    `load average (1, 5, 15 min) ${load(loadAtStart)} at the start, ${load(loadAtEnd)} at the end${quick ? '; --quick (3 runs per case)' : ''}\n\n${table}\n`,
);
