/** `nfdb --version`: which nfdb this is, so that a report from a pod names the exact build. */
import { buildInfo } from '../io/shipped.js';

export function versionText(): string {
  const { version, commit, runtime } = buildInfo();
  return `nfdb ${version} (commit ${commit}${runtime ? `, ${runtime}` : ''})\n`;
}
