import { describe, expect, it } from 'vitest';
import { lines, ruleset } from '../../rules/test-helpers.js';
import { columnWidths, compactColumns, compactRow } from './chain-columns.js';

describe('a chain in columns', () => {
  it('keeps every row under its column names, however long a target name is', () => {
    const nat = ruleset(
      lines(
        '*nat',
        ':KUBE-SERVICES - [0:0]',
        ':KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]',
        '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -j KUBE-SVC-TCOU7JCQXEZGVUNU',
        '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -j ACCEPT',
        'COMMIT',
      ),
    ).tables[0];
    const chain = nat?.chains.find((c) => c.name === 'KUBE-SERVICES');
    if (!chain) throw new Error('no chain');
    const w = columnWidths(chain);
    const head = compactColumns(w);
    const at = (head.pinned + head.rest).indexOf('prot');
    for (const rule of chain.rules) {
      const row = compactRow(rule, w);
      expect(row.pinned.length).toBe(head.pinned.length);
      expect((row.pinned + row.rest).slice(at, at + 3)).toMatch(/^(udp|tcp)$/);
    }
  });
});
