/**
 * Turns each corpus file into what the real tools load, the way SOURCES.md says it was checked:
 * istio goldens without their marker lines and split into IPv4 and IPv6 restore input, `-S`
 * files wrapped in *table/COMMIT, `.cmds` files run line by line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Family } from '../../source/model/index.js';
import { CORPUS } from '../helpers/cli.js';

export interface KernelInput {
  readonly family: Family;
  /** Restore input, or the command lines of a .cmds file. */
  readonly restore?: string;
  readonly commands?: readonly string[];
}

export interface CorpusCase {
  readonly file: string;
  readonly text: string;
  readonly inputs: readonly KernelInput[];
  /** Set when this machine lacks what the file needs (a group, an ipset). */
  readonly needs?: string;
}

const NEEDS: Readonly<Record<string, string>> = {
  'istio/capture-outbound-owner-groups-exclude.rules': 'a system group "ftp" (--gid-owner ftp)',
  'istio/cni-inpod-hostprobe.rules': 'the ipset istio-inpod-probes-v4',
  'istio/cni-inpod-hostprobe_ipv6.rules': 'the ipsets istio-inpod-probes-v4/-v6',
};

function istio(text: string): KernelInput[] {
  const lines = text
    .split('\n')
    .filter((l) => l !== 'iptables-save' && l !== 'ip6tables-save')
    .map((l) => l.replace(/^\* /, '*'));
  const headers = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('*'));
  const second = headers.find(([l, i]) => l === headers[0]?.[0] && i !== headers[0]?.[1]);
  const v4 = lines.slice(0, second ? second[1] : lines.length).join('\n');
  const parts: KernelInput[] = [{ family: 'ipv4', restore: `${v4}\n` }];
  if (second) parts.push({ family: 'ipv6', restore: `${lines.slice(second[1]).join('\n')}\n` });
  return parts;
}

function inputsOf(file: string, text: string): KernelInput[] {
  const family: Family = /ip6|ipv6|-v6/.test(file) ? 'ipv6' : 'ipv4';
  if (/^istio\/(capture|cni-inpod)/.test(file)) return istio(text);
  if (file.endsWith('.cmds'))
    return [{ family, commands: text.split('\n').filter((l) => l.trim() !== '') }];
  if (/^\*/m.test(text)) return [{ family, restore: text.endsWith('\n') ? text : `${text}\n` }];
  const table = /\.(raw|mangle|nat|filter)\.rules$/.exec(file)?.[1] ?? 'filter';
  return [{ family, restore: `*${table}\n${text}${text.endsWith('\n') ? '' : '\n'}COMMIT\n` }];
}

export function corpusCases(): CorpusCase[] {
  return readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(rules|cmds)$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(`${CORPUS}/${file}`, 'utf8');
      return { file, text, inputs: inputsOf(file, text), needs: NEEDS[file] };
    });
}
