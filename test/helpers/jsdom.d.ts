/** The little of jsdom the report tests use (jsdom ships no types; @types/jsdom is big). */
declare module 'jsdom' {
  export interface JsdomElement {
    readonly tagName: string;
    readonly textContent: string | null;
    readonly outerHTML: string;
    getElementsByTagName(name: string): ArrayLike<JsdomElement>;
    querySelector(selector: string): JsdomElement | null;
    querySelectorAll(selector: string): ArrayLike<JsdomElement>;
  }
  export interface JsdomDocument extends JsdomElement {
    readonly documentElement: JsdomElement;
    readonly body: JsdomElement;
  }
  export class JSDOM {
    constructor(html: string);
    readonly window: {
      readonly document: JsdomDocument;
      readonly DOMParser: new () => {
        parseFromString(text: string, type: string): JsdomDocument;
      };
    } & Record<string, unknown>;
  }
}
