import { en } from "zod/locales";
import { config, iso, maxLength, meta, minLength, refine, regex, string } from "zod/mini";

// zod/mini (a fraction of classic zod's bundle and start-up) loads no messages of its own: the
// English ones classic loaded are the texts problem details carry in `errors[].message`. Set
// here because every schema, and the request validator, imports this module.
config(en());

/** A UTF-16 string holding a lone surrogate cannot be encoded as UTF-8 or canonicalised (RFC 8785). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** Free text of at most `max` characters, trimmed of nothing, refused when not valid Unicode. */
export const text = (max: number) =>
  string().check(
    maxLength(max),
    refine((s) => !hasLoneSurrogate(s), "must be valid Unicode (no lone surrogates)"),
  );

/** A required, non-blank short text (the document says so with a pattern: some non-space). */
export const requiredText = (max: number) =>
  text(max).check(
    refine((s) => s.trim().length > 0, "must not be blank"),
    meta({ pattern: "\\S" }),
  );

/**
 * A justification: at least `min` characters once trimmed. As a pattern: from a non-space to a
 * non-space, `min` characters or more.
 */
export const justification = (min: number, max: number, message: string) =>
  requiredText(max).check(
    refine((s) => s.trim().length >= min, message),
    meta({ minLength: min, pattern: `\\S[\\s\\S]{${min - 2},}\\S` }),
  );

/** Identifiers chosen by people: lowercase slugs such as `essex-mash`. */
export const slug = /* @__PURE__ */ string().check(
  minLength(2),
  maxLength(64),
  regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, "must be a lowercase slug (a-z, 0-9 and hyphens)"),
);

/** RFC 3339 date-time with a zone; normalised to UTC by the caller. */
export const dateTime = /* @__PURE__ */ iso.datetime({ offset: true });

/** A calendar date `YYYY-MM-DD` that exists. */
export const calendarDate = /* @__PURE__ */ iso.date();
