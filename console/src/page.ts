import type { Session } from "./auth.js";
import type { Child } from "./dom.js";

/** What a page is given: its path parameters, the person signed in, and the draft it kept. */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  session: Session;
  navigate(path: string): void;
  /** Register what to keep if the person must sign in again while on this page. */
  keepDraft(collect: () => unknown): void;
  /** What the person had typed here before signing in again, once. */
  draft: unknown;
}

export interface Rendered {
  title: string;
  content: Child;
}

export type Page = (context: PageContext) => Promise<Rendered>;
