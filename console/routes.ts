/**
 * The console's pages, shared by the page router in the browser and the hub that serves the
 * page shell: a path outside this list stays the API's 404.
 */
export const PAGE_PATTERNS = [
  "/",
  "/callback",
  "/signed-out",
  "/inbox",
  "/notifications/:id",
  "/concerns",
  "/concerns/new",
  "/concerns/:id",
  "/escalations",
  "/ig",
  "/ig/subject-access",
  "/ig/verify",
  "/ig/coverage",
  "/ig/agreements",
  "/ig/agreements/:id",
  "/ig/reviews",
  "/ig/reviews/:id",
  "/ig/routing",
  "/ig/calendars/:area",
  "/ig/timeliness",
  "/ig/breaches",
] as const;

export type PagePattern = (typeof PAGE_PATTERNS)[number];

/** The pattern a path is an instance of, with its parameters; null when it is no page. */
export function matchPage(path: string): { pattern: PagePattern; params: Record<string, string> } | null {
  const parts = path.split("/");
  for (const pattern of PAGE_PATTERNS) {
    const want = pattern.split("/");
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = want.every((segment, i) => {
      const given = parts[i] ?? "";
      if (segment.startsWith(":")) {
        params[segment.slice(1)] = decodeURIComponent(given);
        return /^[A-Za-z0-9_.~-]{1,128}$/.test(given);
      }
      return segment === given;
    });
    if (matches) return { pattern, params };
  }
  return null;
}

/** What the hub tells the pages: where to sign in and with which clients. */
export interface ConsoleConfig {
  /** The issuer identifier the discovery document must name. */
  issuer: string;
  /** Where the issuer's OpenID discovery document is. */
  discoveryUrl: string;
  /** The resource indicator to ask tokens for (RFC 8707). */
  resource: string;
  /** The API's base URL; empty for the same origin. */
  apiBase: string;
  scopes: string[];
  clients: { clientId: string; name: string }[];
}
