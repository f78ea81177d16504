/**
 * Listing mutation: `iptables -L -v -n` text with words dropped, repeated or swapped, headers
 * broken, lines cut: answered with diagnostics at positions inside the input, never a throw
 * (issue 17 found a header without `destination` crashing the reader this way).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRules } from './index.js';

const LISTING = `# iptables -t nat -L -v -n
Chain PREROUTING (policy ACCEPT 12 packets, 720 bytes)
 pkts bytes target     prot opt in     out     source               destination
    3   180 ISTIO_INBOUND  tcp  --  *      *       0.0.0.0/0            0.0.0.0/0

Chain OUTPUT (policy ACCEPT 1K packets, 60000 bytes)
 pkts bytes target     prot opt in     out     source               destination
    5   300 ISTIO_REDIRECT  tcp  --  *      lo      0.0.0.0/0           !127.0.0.1/32         owner UID match 1337
    0     0 RETURN     all  --  *      *       0.0.0.0/0            127.0.0.1

Chain ISTIO_INBOUND (1 references)
 pkts bytes target     prot opt in     out     source               destination
    0     0 RETURN     tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:15008
    1    60 REDIRECT   tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 15006

Chain ISTIO_REDIRECT (1 references)
 pkts bytes target     prot opt in     out     source               destination
    5   300 REDIRECT   tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 15001
`;

const WORDS = [
  'Chain',
  'pkts',
  'destination',
  'source',
  'target',
  '(policy',
  '--',
  '!',
  '::/0',
  '*',
  '99999999999999999999',
  '# iptables -t raw -L -v -n',
  '# host x',
  '',
];

type Edit = {
  line: number;
  word: number;
  kind: 'drop' | 'repeat' | 'swap' | 'insert' | 'cut';
  insert: string;
};

function mutate(text: string, edits: readonly Edit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const i = e.line % lines.length;
    const words = (lines[i] ?? '').split(/(\s+)/);
    const w = e.word % Math.max(words.length, 1);
    if (e.kind === 'drop') words.splice(w, 1);
    if (e.kind === 'repeat') words.splice(w, 0, words[w] ?? '', ' ');
    if (e.kind === 'swap') [words[w], words[0]] = [words[0] ?? '', words[w] ?? ''];
    if (e.kind === 'insert') words.splice(w, 0, e.insert, ' ');
    if (e.kind === 'cut') words.length = w;
    lines[i] = words.join('');
  }
  return lines.join('\n');
}

const edit = fc.record({
  line: fc.nat(),
  word: fc.nat(),
  kind: fc.constantFrom('drop', 'repeat', 'swap', 'insert', 'cut') as fc.Arbitrary<Edit['kind']>,
  insert: fc.constantFrom(...WORDS),
});

describe('mutated listings', () => {
  it('never throw, and every diagnostic is at a line of the input', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const text = mutate(LISTING, edits);
        const result = parseRules(text, { file: 'l.txt', format: 'listing' });
        const lines = text.split('\n').length;
        for (const d of result.diagnostics) {
          expect(d.pos.line).toBeGreaterThanOrEqual(1);
          expect(d.pos.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
