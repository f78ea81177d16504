/**
 * The corpus nft rulesets whose `nft -j` form is kept as a fixture. `loadable` makes a script
 * the test machine's nft takes: it has no group `ftp`, so that name becomes its number, and
 * sets a golden uses but does not declare are declared.
 */
import { readdirSync } from 'node:fs';

export interface JsonCorpusEntry {
  readonly file: string;
  readonly loadable: (script: string) => string;
}

const groupNumbers = (script: string) => script.replace(/\bskgid ftp\b/g, 'skgid 21');

/** istio-cni's probe sets are made by the agent, not the golden: declared here, empty. */
const probeSets = (script: string) =>
  script.replace(
    /^(add chain inet istio-ambient-nat postrouting .*)$/m,
    [
      'add set inet istio-ambient-nat istio-inpod-probes-v4 { type ipv4_addr ; }',
      'add set inet istio-ambient-nat istio-inpod-probes-v6 { type ipv6_addr ; }',
      '$1',
    ].join('\n'),
  );

const same = (script: string) => script;

function loadable(file: string): (script: string) => string {
  if (file.includes('groups-exclude')) return groupNumbers;
  if (file.includes('hostprobe')) return probeSets;
  return same;
}

export const NFT_JSON_CORPUS: readonly JsonCorpusEntry[] = [
  ...readdirSync('test/corpus/istio')
    .filter((f) => f.startsWith('nft-') && f.endsWith('.nft'))
    .map((f) => `test/corpus/istio/${f}`),
  ...readdirSync('test/corpus/kubernetes')
    .filter((f) => f.endsWith('.nft'))
    .map((f) => `test/corpus/kubernetes/${f}`),
  'test/inputs/nft-istio-sidecar.nft',
  'test/inputs/nft-listed-tproxy-kube-proxy.nft',
]
  .sort()
  .map((file) => ({ file, loadable: loadable(file) }));
