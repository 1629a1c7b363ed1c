import { homedir } from 'node:os';
import { join } from 'node:path';

/** Default data dir for plain-Node runs: $XDG_DATA_HOME/sessionscope or ~/.local/share/sessionscope. */
export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'sessionscope');
}
