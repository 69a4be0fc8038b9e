/**
 * Named errors with a stable `code`, each mapped to exactly one HTTP status and RFC 9457
 * problem type. Their `detail` is written for the caller and never holds personal data.
 */

export interface FieldError {
  path: string;
  message: string;
}

export class LanternError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "LanternError";
  }
}

export const validationFailed = (errors: FieldError[], detail = "The request is not valid.") =>
  new LanternError("validation-error", 400, "Your request is not valid", detail, { errors });

export const badRequest = (detail: string) => new LanternError("bad-request", 400, "Bad request", detail);

/** A cursor this hub did not issue, or issued for another query or another caller. */
export const invalidCursor = () =>
  new LanternError(
    "invalid-cursor",
    400,
    "Bad request",
    "The cursor is not valid for this query: pass nextCursor exactly as it was returned, with the same filters, as the same caller.",
  );

/**
 * 401. `detail` says which check failed, and so does `error_description` (RFC 6750 §3: printable
 * ASCII without a double quote or backslash). With no credentials at all, RFC 6750 §3.1 wants no error code.
 */
export const unauthorized = (detail: string, options: { tokenSent?: boolean } = {}) =>
  new LanternError("unauthorized", 401, "Authentication required", detail, {
    headers: {
      "WWW-Authenticate":
        options.tokenSent === false
          ? "Bearer"
          : `Bearer error="invalid_token", error_description="${detail.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "'")}"`,
    },
  });

export const insufficientScope = (scope: string) =>
  new LanternError("insufficient-scope", 403, "Forbidden", `This route needs the scope ${scope}.`, {
    headers: { "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${scope}"` },
  });

export const forbidden = (detail: string) => new LanternError("forbidden", 403, "Forbidden", detail);

/** A management or audit scope from a client of a partner the registry does not mark `governance`. */
export const notGovernance = (scope: string) =>
  new LanternError(
    "not-governance-partner",
    403,
    "Forbidden",
    `The scope ${scope} is honoured only for clients of a partner with governance: true.`,
  );

/** A decision reviewed by the user who made it. */
export const selfReview = () =>
  new LanternError(
    "self-review",
    403,
    "Forbidden",
    "A decision cannot be reviewed by the user who made it: another reviewer must record the finding.",
  );

export const notFound = (detail = "No such resource.") =>
  new LanternError("not-found", 404, "Not found", detail);

export const methodNotAllowed = (allow: string[]) =>
  new LanternError("method-not-allowed", 405, "Method not allowed", `Allowed: ${allow.join(", ")}.`, {
    headers: { Allow: allow.join(", ") },
  });

export const conflict = (detail: string) => new LanternError("conflict", 409, "Conflict", detail);

/**
 * Configuration that could make a submission write more records than its one transaction
 * takes (transaction-size.ts): refused when set; and a submission that would still exceed it
 * (a race between two changes) is refused whole, nothing written.
 */
export const transactionLimit = (detail: string) =>
  new LanternError("transaction-limit", 409, "Too many recipients for one submission", detail);

export const payloadTooLarge = (limit: number) =>
  new LanternError("payload-too-large", 413, "Payload too large", `The body must be at most ${limit} bytes.`);

export const unsupportedMediaType = () =>
  new LanternError(
    "unsupported-media-type",
    415,
    "Unsupported media type",
    "Send the body as application/json.",
  );

export const serviceUnavailable = (detail: string, retryAfterSeconds = 1) =>
  new LanternError("service-unavailable", 503, "Service unavailable", detail, {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });

/** The agreement no longer covers this disclosure (suspended, revoked, expired, superseded). */
export const disclosureWithdrawn = () =>
  new LanternError(
    "disclosure_withdrawn",
    403,
    "Disclosure withdrawn",
    "The data-sharing agreement this notification was made under no longer authorises opening it.",
  );

/** Information governance recalled this disclosure: its content is gone. */
export const disclosureRecalled = () =>
  new LanternError(
    "disclosure_recalled",
    410,
    "Disclosure recalled",
    "This notification was recalled by the discloser's information governance; its content is erased.",
  );
