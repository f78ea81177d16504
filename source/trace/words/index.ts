/** The words people read, made from the trace's facts: the one place a Step becomes text. */
export * from './finding.js';
export * from './flow.js';
export * from './rule.js';
export * from './step.js';
export * from './summary.js';
export * from './verdict.js';
