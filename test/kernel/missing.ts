/** Why the kernel tests cannot run here (they need root, iptables-nft, nft, ipset, setpriv), or undefined. */
import { spawnSync } from 'node:child_process';
import { kernelToolsMissing } from '../../source/io/netns.js';

export function kernelMissing(): string | undefined {
  const base = kernelToolsMissing();
  if (base) return base;
  for (const tool of [
    'nft',
    'setpriv',
    'iptables-nft-restore',
    'iptables-nft-save',
    'ipset',
    'python3',
  ]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed`;
  }
  return undefined;
}
