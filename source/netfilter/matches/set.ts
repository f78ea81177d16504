/** `-m set --match-set NAME FLAGS`: ipset membership. nfdb has no ipsets: never guessed. */
import { negation, phrase, val } from '../listing-phrase.js';
import { defineMatch, type ValueReader } from '../simple-module.js';

const setRef: ValueReader<{ name: string; flags: string }> = (values) => {
  const [name, flags] = values;
  if (!name || !flags || !/^(src|dst)(,(src|dst))*$/.test(flags))
    return 'NAME src|dst[,src|dst...]';
  return { value: { name, flags }, text: `${name} ${flags}` };
};

export const set = defineMatch({
  name: 'set',
  unsimulated: 'ipsets are not part of a scenario',
  options: {
    'match-set': { arity: 2, aliases: ['set'], read: setRef, negatable: true },
    'return-nomatch': { arity: 0 },
    'update-counters': { arity: 0 },
  },
  symbolic: (_o, given) => [
    {
      what: `--match-set ${given[0]?.values[0] ?? ''}`,
      why: 'an ipset name: its members are not in the ruleset',
    },
  ],
  list: (o) => `${o['match-set']?.negated ? '! ' : ''}match-set ${o['match-set']?.text}`,
  listing: [
    phrase(String.raw`(! +)?match-set +(\S+) +(\S+)`, (m) => [
      ...negation(m[1]),
      '--match-set',
      val(m[2] ?? ''),
      val(m[3] ?? ''),
    ]),
  ],
  examples: ['--match-set KUBE-CLUSTER-IP dst,dst', '! --match-set blocked src'],
  match: (o) => ({
    kind: 'unknown',
    why: `ipset "${o['match-set']?.value.name}" is not part of the scenario`,
  }),
});
