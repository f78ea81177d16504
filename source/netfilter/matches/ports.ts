/**
 * What tcp, udp and sctp share: `--sport`/`--dport` with ranges and `!`, printed as
 * iptables-save and `iptables -L` print them.
 */
import { bang, formatPortRange, type PortRange } from '../extension.js';

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
