import type { Lesson, Step } from '../../model/index.js';
import { stepAssumption, stepExplanation } from '../step-text.js';

/** Each lesson in words: what people get wrong about the step, said where it happens. */
const LESSONS: Readonly<Record<Lesson, string>> = {
  'nat-first-packet-only':
    'The nat table sees only the first packet of a connection: every later packet, and every reply, is rewritten by conntrack from the NAT decided then.',
  'proxy-opens-new-connection':
    'Envoy does not rewrite packets: it accepts the connection and opens a new one, with its own conntrack entry and its own pass through the nat table.',
};

/** The explanation of the step in plain words, with the lesson behind it where there is one. */
export function explanation(step: Step | undefined): string[] {
  if (!step) return [];
  const lines = [stepExplanation(step)];
  const assumption = stepAssumption(step);
  if (assumption) lines.push(`Assumed: ${assumption}`);
  if (step.lesson) lines.push(LESSONS[step.lesson]);
  return lines;
}
