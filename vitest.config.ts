import { defineConfig } from 'vitest/config';

// Core and shared tests run in plain Node against real sockets; files run in
// parallel forks, tests inside a file in order.
export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/shared/**/*.test.ts', 'test/renderer/**/*.test.ts', 'test/host/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    maxWorkers: 2,
  },
});
