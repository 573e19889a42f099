/**
 * The worker thread an analysis runs in, so that the server's event loop keeps answering while
 * a home is read and analysed. Takes one request, answers once, and is ended by its parent.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { isTandemError } from '../errors.js';
import type { AnalysisRequest } from './analysis-snapshot.js';
import { takeSnapshot } from './analysis-snapshot.js';

const request = workerData as AnalysisRequest;
try {
  parentPort?.postMessage({ ok: true, snapshot: await takeSnapshot(request) });
} catch (error) {
  const code = isTandemError(error) ? error.code : null;
  parentPort?.postMessage({ ok: false, code, message: (error as Error).message });
}
