/**
 * "Did you mean": the known word nearest a misspelt one (`RETRUN` → RETURN, `--dprot` →
 * --dport, `runn` → run). Near means a few edits at most, a swap of two neighbours counting
 * as one, and fewer for short words, so that a word unlike any other gets no suggestion.
 */

/** Edits from a to b: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The candidate nearest the word, if one is near enough; the first of equals. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const folded = word.toLowerCase();
  // None in a word of one or two letters (`-z` is no typo of `-x`), one up to 7 letters, two
  // from 8, three from 12: beyond that it is another word.
  const letters = folded.replace(/^-+/, '').length;
  const limit = letters <= 2 ? 0 : Math.max(1, Math.min(3, Math.floor(letters / 4)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = editDistance(folded, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `: did you mean RETURN?`, or nothing when no candidate is near. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const found = nearest(word, candidates);
  return found === undefined ? '' : `: did you mean ${found}?`;
}
