/**
 * A large dump in kube-proxy's shape (the lines the fast reader takes, readLine) with errors
 * scattered through it: every one is reported at its line and column, as the general reader
 * would, and the rest of the dump still loads. iptables-restore stops at the first.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseRules } from './index.js';

/** `services` services in kube-proxy's nat shape; `broken` replaces lines by their number. */
function dump(services: number, broken: ReadonlyMap<number, string>): string {
  const chains: string[] = [':PREROUTING ACCEPT [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const rules: string[] = ['-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'];
  for (let s = 0; s < services; s++) {
    const svc = `KUBE-SVC-${String(s).padStart(8, '0')}`;
    const sep = `KUBE-SEP-${String(s).padStart(8, '0')}`;
    const ip = `10.96.${s >> 8}.${s & 255}`;
    const pod = `10.244.${s >> 8}.${s & 255}`;
    chains.push(`:${sep} - [0:0]`, `:${svc} - [0:0]`);
    rules.push(
      `-A PREROUTING -d ${ip}/32 -p tcp -m comment --comment "ns/svc-${s}:http cluster IP" -m tcp --dport 80 -j ${svc}`,
      `-A ${svc} -m comment --comment "ns/svc-${s}:http -> ${pod}:8080" -j ${sep}`,
      `-A ${sep} -s ${pod}/32 -m comment --comment "ns/svc-${s}:http" -j KUBE-MARK-MASQ`,
      `-A ${sep} -p tcp -m comment --comment "ns/svc-${s}:http" -m tcp -j DNAT --to-destination ${pod}:8080`,
    );
  }
  const lines = ['*nat', ...chains, ...rules, 'COMMIT'];
  for (const [n, text] of broken) lines[n - 1] = text;
  return `${lines.join('\n')}\n`;
}

describe('a large dump with several errors', () => {
  it('reports every one at its line and column, and loads the rest', () => {
    const services = 2000;
    const first = 2 + 2 * services + 2; // the line of the first rule after KUBE-MARK-MASQ's
    const broken = new Map([
      [first + 10, '-A PREROUTING -d 10.96.0.300/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-00000002'],
      [
        first + 4001,
        '-A PREROUTING -d 10.96.3.232/32 -p tcp -m tcp --dport 99999 -j KUBE-SVC-00001000',
      ],
      [first + 6002, '-A KUBE-SVC-00001500 -m comment --comment "x" -j KUBE-SEP-MISSING'],
      [
        first + 7999,
        '-A KUBE-SEP-00001999 -p tcp -m tcp -j DNAT --to-destination 10.244.7.207:70000',
      ],
    ]);
    const result = parseRules(dump(services, broken), { file: 'kube.rules' });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    // The errors found while reading come first, then the checks of the loaded ruleset.
    expect(errors).toEqual([
      `kube.rules:${first + 10}:18: error: bad address "10.96.0.300/32" (expected an IPv4 address, optionally /0-32 or /mask, found "10.96.0.300/32")`,
      `kube.rules:${first + 4001}:47: error: tcp: invalid port "99999" for --dport (expected a port number 0-65535 or service name, or a range FROM:TO, found "99999")`,
      `kube.rules:${first + 7999}:44: error: DNAT: bad value for "--to-destination" (expected ADDRESS[-ADDRESS][:PORT[-PORT]], found "10.244.7.207:70000")`,
      `kube.rules:${first + 6002}:50: error: jump to chain "KUBE-SEP-MISSING", which does not exist in table nat (expected an existing chain or a known target, found "KUBE-SEP-MISSING")`,
    ]);
    const rules = result.rulesets[0]?.tables[0]?.chains.reduce((n, c) => n + c.rules.length, 0);
    // The rules refused while read are not in the model; the jump to a missing chain is.
    expect(rules).toBe(1 + 4 * services - 3);
  });
});
