/**
 * `npm run soak -- [--cycles N] [--seed S] [--rate R] [--no-doc]`: the kill -9
 * soak (see kill9-soak.ts). Prints a results table, writes it to the
 * "Kill -9 soak" section of docs/reliability.md (unless --no-doc) and exits
 * 1 if anything acknowledged was lost or a QoS 2 message arrived twice.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { writeSection } from './doc-section';
import { runKill9Soak, type SoakResult } from './kill9-soak';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function parse(argv: string[]): { cycles: number; seed: number; rate: number; doc: boolean } {
  const o = { cycles: 20, seed: Date.now() % 1_000_000, rate: 1500, doc: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--cycles') o.cycles = Math.max(1, Math.floor(num()));
    else if (a === '--seed') o.seed = Math.floor(num());
    else if (a === '--rate') o.rate = Math.max(1, num());
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--help') {
      console.log('Usage: npm run soak -- [--cycles N (20)] [--seed S] [--rate msgs/s per publisher (1500)] [--no-doc]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

export function table(r: SoakResult): string {
  const rows = r.subscribers.map(
    (s) => `| ${s.name} | ${s.protocol} | ${s.mode} | ${s.received.toLocaleString('en')} | **${s.lost}** | ${s.duplicatesQos1} | **${s.duplicatesQos2}** | ${s.sessionPresentMisses} | ${s.expiryOk ? 'yes' : 'NO'}: ${s.expiryNote} |`,
  );
  return [
    `Run: \`npm run soak -- --cycles ${r.cycles} --seed ${r.seed}\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, 2 shared cores, loopback).`,
    '',
    'The broker runs as a child process (`electron/host/cli.ts broker --data-dir …`, persistence on); one QoS 1 publisher (3.1.1, Clean Session 0) and one QoS 2 publisher (5.0, Session Expiry 3600), 64 messages in flight each, and four persistent subscribers to `soak/#` at QoS 2 run in the soak process. The broker is killed with SIGKILL after a random 0.5–2.5 s of traffic, restarted on the same port after 0–300 ms, and the clients reconnect on their own. At the end the broker is stopped cleanly, the data dir is loaded to check each session (subscription, absolute expiry time), the broker is started again and the offline subscribers drain their queues.',
    '',
    '| | |',
    '|---|---|',
    `| kill -9 cycles | ${r.cycles} (${r.killsDuringPublishing} with publishes in flight) |`,
    `| published / acknowledged, QoS 1 | ${r.published.qos1.toLocaleString('en')} / ${r.acknowledged.qos1.toLocaleString('en')} |`,
    `| published / acknowledged, QoS 2 | ${r.published.qos2.toLocaleString('en')} / ${r.acknowledged.qos2.toLocaleString('en')} |`,
    `| acknowledged messages lost (all subscribers) | **${r.lost}** |`,
    `| QoS 2 duplicates (all subscribers) | **${r.duplicatesQos2}** |`,
    `| broker restart to listening (incl. tsx start, snapshot + log replay) | median ${r.restartMs.median} ms (${r.restartMs.min}–${r.restartMs.max}) |`,
    `| total time | ${(r.durationMs / 1000).toFixed(1)} s |`,
    '',
    '| subscriber | MQTT | mode | unique received | lost | QoS 1 dups (allowed) | QoS 2 dups | Session Present 0 on reconnect | session, subscription and expiry back |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(r.errors.length ? ['', 'Errors:', ...r.errors.map((e) => `- ${e}`)] : []),
    '',
    'Why nothing is lost: the broker appends every change to a persistent session to a checksummed log and acknowledges (PUBACK, PUBREC, PUBCOMP, SUBACK, CONNACK, and QoS 2 PUBLISH/PUBREL to subscribers) only after the group commit holding it was fdatasync-ed; see `electron/core/broker/journal.ts`. Short version in the suite: `test/core/broker/kill9-soak.test.ts` (3 cycles).',
  ].join('\n');
}

const o = parse(process.argv.slice(2));
console.log(`kill -9 soak: ${o.cycles} cycles, seed ${o.seed}, ${o.rate} msg/s per publisher`);
const res = await runKill9Soak({ cycles: o.cycles, seed: o.seed, rate: o.rate, minUpMs: 500, maxUpMs: 2500, root, log: (l) => console.log(l) });
const md = table(res);
console.log(`\n${md}\n`);
if (o.doc) {
  writeSection(join(root, 'docs', 'reliability.md'), 'Kill -9 soak', md);
  console.log('written to docs/reliability.md (section "Kill -9 soak")');
}
process.exit(res.lost === 0 && res.duplicatesQos2 === 0 && res.subscribers.every((s) => s.expiryOk && s.sessionPresentMisses === 0) ? 0 : 1);
