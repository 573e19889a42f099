import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { TandemError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import type { AnalysisRequest, AnalysisSnapshot } from './analysis-snapshot.js';

type WorkerAnswer =
  { ok: true; snapshot: AnalysisSnapshot } | { ok: false; code: ErrorCode | null; message: string };

const COMPILED = new URL('./analysis-worker.js', import.meta.url);
const SOURCE = new URL('./analysis-worker.ts', import.meta.url);

/**
 * Analyses the home in a worker thread of its own, which ends with the analysis and takes the
 * history's memory with it. An expected error comes back as the `TandemError` it was.
 */
export function analyzeInWorker(request: AnalysisRequest): Promise<AnalysisSnapshot> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(request);
    let answered = false;
    worker.once('message', (answer: WorkerAnswer) => {
      answered = true;
      void worker.terminate();
      if (answer.ok) {
        resolve(answer.snapshot);
      } else {
        reject(
          answer.code === null
            ? new Error(answer.message)
            : new TandemError(answer.code, answer.message),
        );
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) {
        reject(new Error(`the analysis worker stopped (exit code ${code}) before it answered`));
      }
    });
  });
}

/**
 * The compiled worker where tandem runs from `dist/`; from its TypeScript sources (tests,
 * benchmarks) the worker first registers tsx, which a worker does not inherit.
 */
function startWorker(request: AnalysisRequest): Worker {
  if (existsSync(fileURLToPath(COMPILED))) {
    return new Worker(COMPILED, { workerData: request });
  }

  const bootstrap =
    "import('tsx/esm/api').then((tsx) => { tsx.register(); " +
    `return import(${JSON.stringify(SOURCE.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: request });
}
