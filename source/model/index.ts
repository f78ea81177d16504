/**
 * The model floor: the domain's types, which every layer may import and which import nothing
 * else of nfdb. Rulesets (what the user's text means), packets and hooks (what netfilter sees),
 * the world (hosts, processes, traffic) and the trace (what happened, as facts).
 */
export * from './chain-named.js';
export * from './counters.js';
export * from './nft.js';
export * from './packet.js';
export * from './protocols.js';
export * from './ruleset.js';
export * from './trace.js';
export * from './verdict.js';
export * from './world.js';
