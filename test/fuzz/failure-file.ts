/**
 * A failing input on disk: the cases that were on the wire when the broker
 * died or the well-behaved client stalled, plus the ones just before, as raw
 * bytes, so `--replay FILE` sends exactly the same thing again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FuzzCase, FuzzPacket } from './case-gen';

const FORMAT = 'sessionscope-fuzz-failure';

interface StoredCase {
  index: number;
  version: number;
  gapMs: number;
  lingerMs: number;
  writes: Array<Array<{ label: string; mutated: boolean; base64: string }>>;
}

export interface FailureFile {
  format: typeof FORMAT;
  formatVersion: 1;
  createdAt: string;
  seed: number;
  target: string;
  reason: string;
  concurrency: number;
  cases: StoredCase[];
}

export function saveFailure(
  dir: string,
  info: { seed: number; target: string; reason: string; concurrency: number },
  cases: FuzzCase[],
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-failure-seed${info.seed}-${Date.now()}.json`);
  const body: FailureFile = {
    format: FORMAT,
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    ...info,
    cases: [...cases]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({
        index: c.index,
        version: c.version,
        gapMs: c.gapMs,
        lingerMs: c.lingerMs,
        writes: c.writes.map((w) => w.map((p) => ({ label: p.label, mutated: p.mutated, base64: p.buf.toString('base64') }))),
      })),
  };
  writeFileSync(file, `${JSON.stringify(body, null, 1)}\n`);
  return file;
}

export function loadFailure(file: string): { info: FailureFile; cases: FuzzCase[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read replay file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const info = parsed as FailureFile;
  if (!info || info.format !== FORMAT || info.formatVersion !== 1 || !Array.isArray(info.cases)) {
    throw new Error(`${file} is not a ${FORMAT} file (format version 1)`);
  }
  const cases = info.cases.map(
    (c): FuzzCase => ({
      index: c.index,
      version: c.version as FuzzCase['version'],
      gapMs: c.gapMs,
      lingerMs: c.lingerMs,
      writes: c.writes.map((w) => w.map((p): FuzzPacket => ({ label: p.label, mutated: p.mutated, buf: Buffer.from(p.base64, 'base64') }))),
    }),
  );
  return { info, cases };
}
