import { SingleBar } from 'cli-progress';

/** Reports how far a long read has come, on stderr so that stdout stays clean for JSON. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A bar on a terminal; on a pipe or in CI, a plain line at each quarter. */
export function createProgress(label: string): Progress {
  return process.stderr.isTTY ? createBar(label) : createLines(label);
}

function createBar(label: string): Progress {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    stream: process.stderr,
    clearOnComplete: true,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }

      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}

function createLines(label: string): Progress {
  let lastQuarter = 0;
  return {
    update(done, total) {
      const quarter = Math.floor((done / total) * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {
      // Plain lines need no closing.
    },
  };
}
