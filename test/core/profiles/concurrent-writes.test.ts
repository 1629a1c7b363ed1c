import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../../electron/core/contract-dispatch';
import { createNodeProfileRepository, profilesFilePath } from '../../../electron/core/profiles/index';
import type { ContractHandlers } from '../../../shared/contract';
import { defaultProfileInput } from '../../../shared/profile';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const writer = fileURLToPath(new URL('./fixtures/concurrent-writer.ts', import.meta.url));

function runWriter(label: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, label, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d).slice(0, 4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`writer ${label} exited ${code}: ${stderr}`));
    });
  });
}

describe('concurrent writes', () => {
  it('two repository instances in two processes never leave invalid JSON behind', async () => {
    createNodeProfileRepository(dir);
    let reads = 0;
    let done = false;
    const reader = (async () => {
      while (!done) {
        // Each read sees either the old or the new whole file (atomic rename), never a torn one.
        const doc = JSON.parse(readFileSync(profilesFilePath(dir), 'utf8'));
        expect(Array.isArray(doc.profiles)).toBe(true);
        reads++;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    try {
      // allSettled: both children must be gone before the temp dir is removed.
      const settled = await Promise.allSettled([runWriter('A', 40), runWriter('B', 40)]);
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
    } finally {
      done = true;
      await reader;
    }
    expect(reads).toBeGreaterThan(10);
    const repo = createNodeProfileRepository(dir);
    expect(repo.notices()).toEqual([]);
    // Two instances may lose each other's updates (documented: one instance per data dir),
    // but every profile that survived is whole and valid.
    expect(repo.list().length).toBeGreaterThan(0);
  }, 30_000);

  it('calls from several windows through one instance never lose a write', async () => {
    const repo = createNodeProfileRepository(dir);
    const handlers = {
      'profiles.create': (input: never) => repo.create(input),
      'profiles.reorder': ({ ids }: { ids: string[] }) => repo.reorder(ids),
    } as unknown as ContractHandlers;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => dispatchCall(handlers, 'profiles.create', { ...defaultProfileInput('127.0.0.1', 1883), name: `w${i % 2}-${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(createNodeProfileRepository(dir).list()).toHaveLength(50);
  });
});
