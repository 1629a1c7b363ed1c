// After `npm install` / `npm ci`: build the app so `npm start` and
// `./bin/sessionscope` work right away. A failed build does not fail the
// install; bin/sessionscope builds on first use and says what went wrong.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!buildIfStale(root, { force: true })) {
  console.warn('sessionscope: the build failed; run "npm run build" to see why.');
}
