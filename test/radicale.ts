import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Radicale CalDAV server on loopback, for tests; `stop()` ends it and deletes its data. */
export interface RadicaleServer {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 15_000;

/**
 * Starts Debian's `radicale` in a temporary folder on a free loopback port. Throws with the
 * install command when it is missing, so a CI without it fails loudly instead of skipping.
 */
export async function startRadicale(): Promise<RadicaleServer> {
  if (spawnSync('radicale', ['--version']).error !== undefined) {
    throw new Error('radicale is not installed: run `apt-get install -y radicale`');
  }

  const folder = mkdtempSync(join(tmpdir(), 'tandem-radicale-'));
  const port = await findFreePort();
  const child = spawn(
    'radicale',
    [
      '--config',
      '',
      '--server-hosts',
      `127.0.0.1:${port}`,
      '--auth-type',
      'none',
      '--rights-type',
      'owner_only',
      '--storage-filesystem-folder',
      folder,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );

  const url = `http://127.0.0.1:${port}/`;
  await waitUntilServing(url, child);
  return {
    url,
    stop: async () => {
      await stopChild(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`radicale exited with code ${child.exitCode}: ${stderr}`);
    }

    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) {
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  child.kill();
  throw new Error(`radicale did not start within ${STARTUP_TIMEOUT_MS} ms: ${stderr}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
