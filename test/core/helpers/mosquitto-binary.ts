import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Debian installs mosquitto in /usr/sbin, which is not on every PATH (a
 * non-login shell, a CI runner): find it there too, or use $MOSQUITTO_BIN.
 */
export function mosquittoBinary(): string {
  if (process.env.MOSQUITTO_BIN) return process.env.MOSQUITTO_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'mosquitto'))) return join(dir, 'mosquitto');
  }
  for (const candidate of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/opt/homebrew/sbin/mosquitto']) {
    if (existsSync(candidate)) return candidate;
  }
  return 'mosquitto';
}
