/**
 * Whether ranges of one large text hold any of the characters that stop a word from being read
 * as it is (quotes, backslash, tab, carriage return), asked for every word of a 230,000-line
 * dump, in the order of the text.
 *
 * Hand-written hot path: for each such character, the next place it occurs is found once with
 * indexOf (a fast native search) and kept while the questions move forward through the text, so
 * that a range is answered by comparing numbers, not by reading its characters again.
 */

const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const TAB = 9;
const CR = 13;

/** The next occurrence of one character, found again only when a question leaves [from, at]. */
class NextOf {
  /** No occurrence in [from, at): `at` is the first one at or after `from` (text.length: none). */
  private from = 0;
  private at = -1;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  /** The first occurrence at or after `pos` (the text's length when there is none). */
  next(pos: number): number {
    if (pos < this.from || pos > this.at) {
      const found = this.text.indexOf(this.char, pos);
      this.from = pos;
      this.at = found < 0 ? this.text.length : found;
    }
    return this.at;
  }
}

export class TextScan {
  private readonly dquote: NextOf;
  private readonly squote: NextOf;
  private readonly backslash: NextOf;
  private readonly tab: NextOf;
  private readonly cr: NextOf;

  constructor(readonly text: string) {
    this.dquote = new NextOf(text, String.fromCharCode(DQUOTE));
    this.squote = new NextOf(text, String.fromCharCode(SQUOTE));
    this.backslash = new NextOf(text, String.fromCharCode(BACKSLASH));
    this.tab = new NextOf(text, String.fromCharCode(TAB));
    this.cr = new NextOf(text, String.fromCharCode(CR));
  }

  /** Whether `text[from..to)` holds no quote, backslash, tab or carriage return. */
  plain(from: number, to: number): boolean {
    return (
      this.dquote.next(from) >= to &&
      this.squote.next(from) >= to &&
      this.backslash.next(from) >= to &&
      this.tab.next(from) >= to &&
      this.cr.next(from) >= to
    );
  }

  /** Whether `text[from..to)` holds a backslash. */
  hasBackslash(from: number, to: number): boolean {
    return this.backslash.next(from) < to;
  }
}
