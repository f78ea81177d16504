/**
 * What tcp, udp and sctp share: `--sport`/`--dport` with ranges and `!`, printed as
 * iptables-save and `iptables -L` print them.
 */
import { bang, formatPortRange, type PortRange } from '../extension.js';
import { type Arg, negation, type PhraseResult, val } from '../listing-phrase.js';

export interface PortMatch {
  readonly range: PortRange;
  readonly negated: boolean;
}

export function savePorts(sport?: PortMatch, dport?: PortMatch): string[] {
  const parts: string[] = [];
  if (sport) parts.push(`${bang(sport.negated)}--sport ${formatPortRange(sport.range)}`);
  if (dport) parts.push(`${bang(dport.negated)}--dport ${formatPortRange(dport.range)}`);
  return parts;
}

function listOne(label: string, port: PortMatch): string {
  const plural = port.range.from !== port.range.to;
  const neg = port.negated ? '!' : '';
  return `${label}${plural ? 's' : ''}:${neg}${formatPortRange(port.range)}`;
}

export function listPorts(sport?: PortMatch, dport?: PortMatch): string[] {
  const parts: string[] = [];
  if (sport) parts.push(listOne('spt', sport));
  if (dport) parts.push(listOne('dpt', dport));
  return parts;
}

export function portMatches(port: PortMatch | undefined, value: number): boolean {
  if (!port) return true;
  const inside = value >= port.range.from && value <= port.range.to;
  return inside !== port.negated;
}

/** `spt:80`, `dpts:!1024:65535` as listPorts prints them; a port name is lost information. */
export function portArgs(items: string): PhraseResult {
  const args: Arg[] = [];
  for (const m of items.matchAll(/(spt|dpt)s?:(!?)(\S+)/g)) {
    const value = m[3] ?? '';
    if (!/^\d{1,5}(:\d{1,5})?$/.test(value)) {
      return {
        lost: `"${value}" is a service name, not a port number: the listing was made without -n`,
      };
    }
    args.push(...negation(m[2]), m[1] === 'spt' ? '--sport' : '--dport', val(value));
  }
  return args;
}
