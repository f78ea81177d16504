/** The little of jsdom the Mermaid syntax test uses (jsdom ships no types; @types/jsdom is big). */
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string);
    readonly window: { readonly document: unknown } & Record<string, unknown>;
  }
}
