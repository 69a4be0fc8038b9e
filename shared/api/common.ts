import { maxLength, optional, strictObject, string } from "zod/mini";
import type { HeaderSpec } from "./routes.js";

/**
 * Every route that needs a token can answer these: a bad token (401), a missing scope (403), and
 * 503 when the issuer's key set cannot be had to check it (or the store is busy), never the
 * caller's fault.
 */
export const AUTH_ERRORS = [401, 403, 503];

/** A list that comes whole today takes a cursor like any list, and refuses every one (400). */
export const ListQuerySchema = /* @__PURE__ */ strictObject({
  cursor: optional(string().check(maxLength(2048))),
});

// Literal (satisfies, not a type annotation), so a handler that leaves out a required header
// fails the type check (shared/api/operations.ts).
export const LOCATION = {
  Location: { description: "The path of what was created.", required: true },
} as const satisfies Record<string, HeaderSpec>;
export const CACHEABLE = {
  "Cache-Control": { description: "`public, max-age=300`: key sets change rarely.", required: true },
} as const satisfies Record<string, HeaderSpec>;
