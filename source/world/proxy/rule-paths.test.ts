import { describe, expect, it } from 'vitest';
import type { Ruleset } from '../../model/index.js';
import { parseRules } from '../../rules/index.js';
import { reachable } from './rule-paths.js';

/** The rules as parsed; a loop is an error the parser reports and still gives rules for. */
function rules(lines: readonly string[], errors = 0): Ruleset {
  const parsed = parseRules(lines.join('\n'), { file: 'mine.rules' });
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(errors);
  return parsed.rulesets[0] as Ruleset;
}

/** Each site as `chain number <- the chains of the jumps on its way`. */
const sites = (ruleset: Ruleset, builtin: string) =>
  reachable(ruleset, 'nat', builtin).map(
    (s) => `${s.chain} ${s.number} <- ${s.via.map((r) => r.origin.line).join(',')}`,
  );

describe('reachable', () => {
  it('keeps what a proxy is read from, with the jumps on its way, and walks through the rest', () => {
    const ruleset = rules([
      'iptables -t nat -N SVC',
      'iptables -t nat -N MESH',
      'iptables -t nat -N MASQ',
      'iptables -t nat -A MASQ -j MARK --set-xmark 0x4000/0x4000',
      'iptables -t nat -A SVC -j MASQ',
      'iptables -t nat -A SVC -p tcp -j DNAT --to-destination 10.0.0.1:80',
      'iptables -t nat -A MESH -m owner --uid-owner 1337 -j RETURN',
      'iptables -t nat -A MESH -p tcp -j REDIRECT --to-ports 15001',
      'iptables -t nat -A OUTPUT -d 10.96.0.1/32 -j SVC',
      'iptables -t nat -A OUTPUT -m mark ! --mark 0x539 -j MESH',
    ]);
    // Line 10's jump matches a mark: kept, and the way to MESH's rules.
    expect(sites(ruleset, 'OUTPUT')).toEqual(['OUTPUT 2 <- ', 'MESH 1 <- 10', 'MESH 2 <- 10']);
    expect(sites(ruleset, 'PREROUTING')).toEqual([]);
  });

  it('ends a loop where it closes, and still finds what lies past it', () => {
    const ruleset = rules(
      [
        'iptables -t nat -N A',
        'iptables -t nat -N B',
        'iptables -t nat -A A -j B',
        'iptables -t nat -A B -j A',
        'iptables -t nat -A B -p tcp -j REDIRECT --to-ports 15006',
        'iptables -t nat -A PREROUTING -j A',
      ],
      1,
    );
    expect(sites(ruleset, 'PREROUTING')).toEqual(['B 2 <- 6,3']);
  });
});
