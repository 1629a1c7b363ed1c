/**
 * Playwright fixture: each test gets its own `sessionscope web` host with a
 * fresh data dir, stopped and removed after the test.
 */
import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from './launch-app';

export { startApp, type RunningApp };

export const test = base.extend<{ app: RunningApp }>({
  app: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sessionscope-e2e-'));
    try {
      const app = await startApp(dataDir);
      try {
        await use(app);
      } finally {
        await app.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };
