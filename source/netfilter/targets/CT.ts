/**
 * `-j CT`: sets up the connection before conntrack sees it: --notrack (untracked), --zone
 * (a separate conntrack table), --helper (xt_CT.c). Only in the raw table.
 */

import { flag, opt, phrase } from '../listing-phrase.js';
import { defineTarget, inTable, text, uint, type ValueReader } from '../simple-module.js';

/** libxt_CT's event names (ct_event_tbl, exp_event_tbl); anything else is refused. */
const CT_EVENTS = [
  'new',
  'related',
  'destroy',
  'reply',
  'assured',
  'protoinfo',
  'helper',
  'mark',
  'natseqinfo',
  'secmark',
];

function events(names: readonly string[]): ValueReader<string> {
  const expected = `events from ${names.join(', ')}`;
  return (values) => {
    const raw = values[0] ?? '';
    return raw.split(',').every((e) => names.includes(e)) ? { value: raw, text: raw } : expected;
  };
}

const zoneId = uint(65535, 'a zone 0-65535, or mark');

/** A zone number, or `mark`: the zone is the packet's mark (XT_CT_ZONE_MARK). */
const zone: ValueReader<number | 'mark'> = (values, family) =>
  values[0] === 'mark' ? { value: 'mark', text: 'mark' } : zoneId(values, family);

export const CT = defineTarget({
  name: 'CT',
  options: {
    notrack: { arity: 0 },
    helper: { arity: 1, read: text },
    ctevents: { arity: 1, read: events(CT_EVENTS) },
    expevents: { arity: 1, read: events(['new']) },
    'zone-orig': { arity: 1, read: zone },
    'zone-reply': { arity: 1, read: zone },
    zone: { arity: 1, read: zone },
    timeout: { arity: 1, read: text },
  },
  check: (_o, where) => inTable('CT', 'raw', where),
  list: (o) =>
    [
      'CT',
      ...(o.notrack ? ['notrack'] : []),
      ...(o.helper ? [`helper ${o.helper.text}`] : []),
      ...(o.ctevents ? [`ctevents ${o.ctevents.text}`] : []),
      ...(o.expevents ? [`expevents ${o.expevents.text}`] : []),
      ...(o['zone-orig'] ? [`zone-orig ${o['zone-orig'].text}`] : []),
      ...(o['zone-reply'] ? [`zone-reply ${o['zone-reply'].text}`] : []),
      ...(o.zone ? [`zone ${o.zone.text}`] : []),
      ...(o.timeout ? [`timeout ${o.timeout.text}`] : []),
    ].join(' '),
  listing: [
    phrase(
      String.raw`CT( +notrack)?(?: +helper +(\S+))?(?: +events +(\S+))?(?: +expevents +(\S+))?(?: +zone +(\S+))?(?: +timeout +(\S+))?`,
      (m) => [
        ...flag('--notrack', m[1]),
        ...opt('--helper', m[2]),
        ...opt('--ctevents', m[3]),
        ...opt('--expevents', m[4]),
        ...opt('--zone', m[5]),
        ...opt('--timeout', m[6]),
      ],
    ),
  ],
  examples: ['--notrack', '--helper ftp --zone 1'],
  act(o, packet, ctx) {
    // xt_ct_target: a packet that already carries its entry (looped back through lo) is left alone.
    if (ctx.conntrack)
      return {
        verdict: 'CONTINUE',
        note: 'the packet already has its conntrack entry: CT does nothing',
      };
    if (o.notrack)
      return {
        verdict: 'CONTINUE',
        conntrack: { untracked: true },
        note: 'untracked: conntrack and nat will skip this packet',
      };
    if (o.helper || o.timeout)
      return { verdict: 'CONTINUE', note: 'CT helper/timeout: no effect on the path nfdb shows' };
    const given = o.zone?.value ?? 0;
    // xt_ct: with `mark`, the zone is the packet's mark, cut to the zone's 16 bits.
    const zone = given === 'mark' ? packet.mark & 0xffff : given;
    return { verdict: 'CONTINUE', conntrack: { zone }, note: `conntrack zone ${zone}` };
  },
});
