/**
 * `npm run verdicts`: judges every case with the real tools and prints the agreement figure per
 * backend, then every disagreement with both reasons. Needs root (network namespaces).
 * `--grep TEXT` judges only the cases whose id contains TEXT.
 */
import { kernelToolsMissing } from '../../source/io/netns.js';
import { verdictCases } from './cases.js';
import { compare, describe } from './compare.js';
import { judge } from './judge.js';
import { knownWhy } from './known.js';

const missing = kernelToolsMissing();
if (missing) {
  process.stderr.write(`verdicts: cannot judge with the real tools: ${missing}\n`);
  process.exit(1);
}
const grep = process.argv.indexOf('--grep');
const only = grep < 0 ? undefined : process.argv[grep + 1];
const cases = verdictCases().filter((c) => only === undefined || c.id.includes(only));
const started = Date.now();
const kernel = await judge(cases);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const result = compare(cases, kernel);
for (const d of result.disagreements) {
  const why = knownWhy(d.id);
  console.log(`${describe(d)}${why ? `\n    known: ${why}` : ''}`);
}
for (const s of result.split)
  console.log(`backends differ${s.said ? '' : ' (nfdb does not say so)'}: ${s.id}`);
const pct = (n: number) => ((100 * n) / result.judged).toFixed(1);
console.log(
  `${result.judged} cases judged by both backends in ${seconds} s; nfdb agrees with` +
    ` iptables-legacy on ${result.agreed.legacy} (${pct(result.agreed.legacy)}%),` +
    ` with iptables-nft on ${result.agreed.nft} (${pct(result.agreed.nft)}%);` +
    ` the backends differ on ${result.split.length}, nfdb says so on ${result.split.filter((s) => s.said).length};` +
    ` ${result.disagreements.filter((d) => !knownWhy(d.id)).length} disagreements are not known (test/verdicts/known.ts)`,
);
