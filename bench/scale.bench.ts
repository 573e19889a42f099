import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Figure, Scenario } from './harness.js';
import { benchHome } from './homes.js';

const MAIN = join(import.meta.dirname, '../src/cli/main.ts');
const FULL_SIZES = [50, 100, 500, 1000].flatMap((entities) =>
  [7, 30, 90].map((days) => ({ entities, days })),
);
const QUICK_SIZES = [{ entities: 50, days: 7 }];
/** How often the child's peak memory is read while it runs. */
const POLL_MS = 25;

interface Run {
  seconds: number;
  peakRssMb: number;
  rows: number;
}

/**
 * The whole `tandem analyze --config DIR --json`, in its own process as a user would run it:
 * wall time, peak RSS (the kernel's high-water mark, read from /proc while it runs) and the
 * rows it read.
 */
function analyzeOnce(configDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'analyze', '--config', configDir, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let peakKb = 0;
    let stdout = '';
    const poll = setInterval(() => {
      peakKb = Math.max(peakKb, readPeakKb(child.pid));
    }, POLL_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      peakKb = Math.max(peakKb, readPeakKb(child.pid));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) {
        reject(new Error(`tandem analyze exited with ${String(code)} on ${configDir}`));
        return;
      }

      const report = JSON.parse(stdout) as { source: { rows_read: number } };
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakRssMb: peakKb / 1024,
        rows: report.source.rows_read,
      });
    });
  });
}

/** VmHWM of a running process in kB; 0 once it is gone or where /proc does not exist. */
function readPeakKb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function measure(sizes: readonly { entities: number; days: number }[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const { entities, days } of sizes) {
    const home = benchHome(entities, days);
    const run = await analyzeOnce(home.configDir);
    const size = `${entities} entities × ${days} days`;
    figures.push(
      {
        id: `scale.analyze_s.${entities}x${days}`,
        description: `tandem analyze --json, recorder file to report, in its own process; ${size}`,
        unit: 's',
        value: run.seconds,
        // The reference target is for the largest home, 1,000 entities over 90 days; every
        // smaller one must meet it too.
        target: 60,
        goal: null,
        better: 'lower',
        detail: { rows: run.rows },
      },
      {
        id: `scale.analyze_rows_per_s.${entities}x${days}`,
        description: `recorder rows read per second of that whole run; ${size}`,
        unit: 'rows/s',
        value: run.rows / run.seconds,
        // The rate at which this home's rows would take the 60 s the reference allows.
        target: run.rows / 60,
        goal: null,
        better: 'higher',
        detail: { rows: run.rows },
      },
      {
        id: `scale.analyze_peak_rss_mb.${entities}x${days}`,
        description: `peak RSS of that process; ${size}`,
        unit: 'MB',
        value: run.peakRssMb,
        target: 1024,
        goal: null,
        better: 'lower',
      },
    );
  }

  return figures;
}

export const scenarios: Scenario[] = [
  {
    id: 'scale',
    description: 'the whole analysis for homes of 50 to 1,000 entities over 7 to 90 days',
    run: ({ quick }) => measure(quick ? QUICK_SIZES : FULL_SIZES),
  },
];
