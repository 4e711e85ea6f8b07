// The benchmark's results as markdown tables (bench/results.md, and the README).
import { cpus } from 'node:os';
import type { BenchResults, Method, WorkloadResult } from './run.js';
import { FIRST_LOSS_TOLERANCE, type TorchWorkloadResult } from './torch.js';
import { WORKLOADS } from './workloads.js';

const LABEL: Record<Method, string> = {
  generated: 'nnc generated trainStep',
  variableGrads: 'tf.variableGrads loop',
  layers: 'tfjs-layers trainOnBatch',
};

const cores = () => cpus().length;
const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

function workloadTable(w: WorkloadResult): string[] {
  if (w.pending !== null) return [`### ${w.workload} — pending`, '', `${w.description}: ${w.pending}`, ''];
  const g = w.methods.generated!.msMedian;
  const rows = (Object.keys(LABEL) as Method[]).map((m) => {
    const r = w.methods[m]!;
    const c = r.counts;
    return `| ${LABEL[m]} | ${fmt(r.msMedian)} | ${r.roundMedians.map((x) => fmt(x)).join(' / ')} | ${fmt(g / r.msMedian)} | ${c.nativeOps ?? '–'} | ${c.engineKernels} | ${c.uploads ?? '–'} | ${c.peakTensors} | ${fmt(c.peakBytes / 1024, 0)} | ${c.leakedTensors} | ${fmt(r.firstLoss, 4)} |`;
  });
  const t = w.torch;
  if (t) {
    for (const [name, v] of Object.entries(t.variants)) {
      const label = `PyTorch eager (${name} ${w.optimizer === 'sgd' ? 'SGD' : 'Adam'}: ${v.implementation})`;
      rows.push(`| ${label} | ${fmt(v.msMedian)} | ${v.roundMedians.map((x) => fmt(x)).join(' / ')} | ${fmt(g / v.msMedian)} | – | – | – | – | – | – | ${fmt(v.firstLoss, 4)} |`);
    }
  }
  return [
    `### ${w.workload} (${w.optimizer}, batch ${w.batch})`,
    '',
    `${w.description}; spec \`${w.spec}\`.`,
    '',
    '| method | ms/step (median) | round medians | generated ÷ this | TF ops/step | engine kernels/step | uploads/step | peak tensors | peak KiB | leaked | first loss |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(t ? [torchCheck(w, t), ''] : []),
    ...opNames(w),
  ];
}

/** The proof PyTorch trained the same workload: its first loss against the generated trainer's. */
function torchCheck(w: WorkloadResult, t: TorchWorkloadResult): string {
  const mine = w.methods.generated!.firstLoss;
  const theirs = t.variants['default']!.firstLoss;
  const same = t.firstLossDelta <= FIRST_LOSS_TOLERANCE ? `≤ ${FIRST_LOSS_TOLERANCE}: same initial values, batch and network` : `> ${FIRST_LOSS_TOLERANCE} (dropout masks differ)`;
  return `PyTorch ${t.version}, ${t.threads} threads: first loss ${theirs.toFixed(6)} vs the generated trainer's ${mine.toFixed(6)}, |Δ| ${t.firstLossDelta.toExponential(1)} ${same}.`;
}

/** Issue 8's target for generated ÷ PyTorch on this workload, if it has one. */
const torchTarget = (w: WorkloadResult) => WORKLOADS.find((x) => x.name === w.workload)?.torchTarget;

/** The summary's PyTorch cells: step time, generated ÷ PyTorch, and the target it is held to. */
function torchCells(w: WorkloadResult): string {
  const t = w.torch;
  const target = torchTarget(w);
  if (!t) return ' absent | | |';
  const met = target === undefined ? '' : `≤ ${fmt(target, 1)} ${t.ratio <= target ? 'met' : 'missed'}`;
  return ` ${fmt(t.variants['default']!.msMedian)} | ${fmt(t.ratio)} | ${met} |`;
}

/** The generated step's TensorFlow ops by name: where the kernels per step go. */
function opNames(w: WorkloadResult): string[] {
  const names = w.methods.generated!.counts.nativeOpNames;
  if (!names) return [];
  const list = Object.entries(names).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return [`TF ops of the generated step: ${list.map(([n, c]) => `${n} ${c}`).join(', ')}.`, ''];
}

export function markdown(r: BenchResults): string {
  const done = r.workloads.filter((w) => w.pending === null);
  const torch = r.torch.version !== null;
  const summary = [
    `| workload | generated ms | variableGrads ms | layers ms | ÷ variableGrads | ÷ layers | TF ops/step (gen / vg / layers) |${torch ? ' PyTorch ms | ÷ PyTorch | target |' : ''}`,
    `|---|---|---|---|---|---|---|${torch ? '---|---|---|' : ''}`,
    ...done.map((w) => {
      const m = w.methods;
      const ops = (['generated', 'variableGrads', 'layers'] as Method[]).map((k) => m[k]!.counts.nativeOps ?? m[k]!.counts.engineKernels).join(' / ');
      return `| ${w.workload} | ${fmt(m.generated!.msMedian)} | ${fmt(m.variableGrads!.msMedian)} | ${fmt(m.layers!.msMedian)} | ${fmt(w.ratios!.vsVariableGrads)} | ${fmt(w.ratios!.vsLayers)} | ${ops} |${torch ? torchCells(w) : ''}`;
    }),
    ...r.workloads.filter((w) => w.pending !== null).map((w) => `| ${w.workload} | pending | | | | | |${torch ? ' | | |' : ''}`),
  ];
  const torchLine = torch
    ? `PyTorch ${r.torch.version} CPU eager (\`${r.torch.python}\`), in a child process whose rounds interleave with the tfjs methods'; "÷ PyTorch" is generated ÷ PyTorch with torch.optim's default update path, the issue-8 targets beside it.`
    : `${r.torch.note ?? 'PyTorch: not run.'}`;
  const lines = [
    '# nnc benchmark',
    '',
    `${r.date}, backend ${r.backend}; \`${r.command}\`; ${r.settings.rounds} rounds × (${r.settings.warmup} warm-up + ${r.settings.steps} timed steps) per method, ${r.settings.batchesCycled} synthetic seeded batches cycled.`,
    `Machine load average (1 min) ${fmt(r.loadAverage[0], 1)} at the start, ${fmt(r.loadAverage[1], 1)} at the end, on ${cores()} cores: with other work running, absolute times swell; compare ratios within one run.`,
    'Step time includes reading the loss back to the host. "generated ÷ this" < 1 means the generated trainer is faster.',
    'TF ops/step counts every TensorFlow op tfjs-node executes (including raw kernels that bypass the tfjs engine); engine kernels are what tf.profile sees.',
    torchLine,
    '',
    ...summary,
    '',
    ...r.workloads.flatMap(workloadTable),
  ];
  if (r.compile !== null) {
    lines.push(
      '### Compile time',
      '',
      `A generated ${r.compile.layers}-layer MLP spec (dense 64, relu), text to emitted trainer (${r.compile.lines} lines), no type-check: ` +
        `median ${fmt(r.compile.medianMs, 0)} ms over ${r.compile.runs - 1} warm runs, cold ${fmt(r.compile.coldMs, 0)} ms.`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
