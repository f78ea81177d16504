/** The reader of `nft monitor trace` moved to source/trace (nfdb live --trace uses it too). */
export * from '../../../source/trace/kernel-trace.js';
