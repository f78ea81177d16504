/**
 * The cases where nfdb's verdict is not yet the kernel's, each with why. The verdict test fails
 * on any other disagreement, and on an entry here that no longer disagrees (so the list only
 * shrinks). Matched against a case's id, for both backends.
 */
export const KNOWN: readonly (readonly [idPart: string, why: string])[] = [
  // What the machine holds, which nfdb cannot see: it keeps the names and reports them.
  ['--uid-owner nosuchuser', 'user names are resolved by the system; nfdb keeps them by name'],
  ['--gid-owner nosuchgroup', 'group names are resolved by the system; nfdb keeps them by name'],
  ['--match-set nosuchset', "an ipset's existence is the machine's; nfdb lists the sets read"],
  ['CT --helper', 'a helper loads only where its kernel module is present (not here)'],
  ['CT --timeout', 'a timeout policy is an nfct object of the machine'],
];

/** Why a case's disagreement is expected, or undefined. */
export function knownWhy(id: string): string | undefined {
  return KNOWN.find(([part]) => id.includes(part))?.[1];
}
