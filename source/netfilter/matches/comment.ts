/** `-m comment --comment TEXT`: matches everything; iptables-save quotes it when needed. */
import { quoteIfNeeded } from '../extension.js';
import { phrase, val } from '../listing-phrase.js';
import { defineMatch, MATCH, type ValueReader } from '../simple-module.js';

const commentText: ValueReader<string> = (values) => {
  // The kernel tools keep the first 255 characters of a longer comment, without a word.
  const value = (values[0] ?? '').slice(0, 255);
  return { value, text: quoteIfNeeded(value) };
};

export const comment = defineMatch({
  name: 'comment',
  combine: { required: [['comment']] },
  options: { comment: { arity: 1, read: commentText } },
  list: (o) => `/* ${o.comment?.value ?? ''} */`,
  listing: [phrase(String.raw`\/\* (.*?) \*\/`, (m) => ['--comment', val(m[1] ?? '')])],
  examples: ['--comment allow-dns', '--comment "default/web: a service"'],
  match: () => MATCH,
});
