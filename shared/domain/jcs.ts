import canonicalize from "canonicalize";

/**
 * RFC 8785 (JCS) canonical JSON. `canonicalJson` is the generic canonicaliser; `canonicalEvent`
 * is the same function specialised to the audit event's fixed shape, because verification
 * spends most of its time canonicalising and every event has the same members.
 *
 * The specialisation is compiled once from EVENT_SHAPE into one writer per member, which
 * writes the members in their sorted order with constant keys and each leaf as RFC 8785
 * prescribes: strings by ECMAScript escaping (`"`, `\` and controls below U+0020 only;
 * U+2028/U+2029 and astral characters as they are; strings needing none are quoted as they
 * are), numbers by ECMAScript Number serialisation (-0 as 0, exponent forms). A
 * shape guard checks every member first; anything it does not recognise (a member more or
 * less, another type, a non-plain object, a non-finite number, a string that is not
 * well-formed UTF-16) goes to the generic canonicaliser, so the result is byte-identical to
 * `canonicalJson` for every input, including the inputs on which it throws.
 */

/** RFC 8785 canonical JSON of any JSON value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value has no JSON form");
  return text;
}

type Scalar = "string" | "stringOrNull" | "number";
type Shape = Scalar | { object: Members; nullable: boolean } | { array: "string"; nullable: boolean };
type Members = readonly (readonly [name: string, shape: Shape])[];

/**
 * The audit event without `hash`, members in RFC 8785 order (UTF-16 code units; all ASCII).
 * Adding a member to AuditEvent without adding it here is safe: such events have a member the
 * guard does not know, so they take the generic path (and the unit test comparing this list
 * with AUDIT_EVENT_MEMBERS fails, prompting the update).
 */
export const EVENT_SHAPE: Members = [
  ["action", "string"],
  [
    "actor",
    {
      object: [
        ["clientId", "stringOrNull"],
        ["partnerId", "stringOrNull"],
        ["sub", "stringOrNull"],
      ],
      nullable: false,
    },
  ],
  [
    "agreement",
    {
      object: [
        ["id", "string"],
        ["version", "number"],
      ],
      nullable: true,
    },
  ],
  ["at", "string"],
  ["concernId", "stringOrNull"],
  ["dataCategories", { array: "string", nullable: true }],
  ["id", "string"],
  ["lawfulBasis", { array: "string", nullable: true }],
  ["notificationId", "stringOrNull"],
  ["payloadSha256", "stringOrNull"],
  ["prevHash", "string"],
  ["purpose", "stringOrNull"],
  ["reason", "stringOrNull"],
  ["recipientId", "stringOrNull"],
  ["requestId", "stringOrNull"],
  ["seq", "number"],
  ["shard", "number"],
  ["subjectId", "stringOrNull"],
  [
    "target",
    {
      object: [
        ["id", "string"],
        ["kind", "string"],
      ],
      nullable: true,
    },
  ],
];

// ES2024's String.prototype.isWellFormed (Node 20+), not yet in the ES2023 lib this project targets.
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;

/** Not a member of the shape: the guard's answer, distinct from every JSON text. */
const MISMATCH = Symbol("shape mismatch");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string with nothing to escape and no surrogate: its JSON form is itself in quotes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000-U+001F are what JSON must escape.
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** Writes one member's value as RFC 8785 JSON, or answers MISMATCH: compiled once from its Shape. */
type Emit = (value: unknown) => string | typeof MISMATCH;

/** A string's RFC 8785 form, or MISMATCH for a lone surrogate (which has none: the generic path throws). */
function string(value: string): string | typeof MISMATCH {
  // Most members are ids, hashes and times: a regular expression test is cheaper than JSON.stringify.
  if (PLAIN.test(value)) return `"${value}"`;
  return isWellFormed.call(value) ? JSON.stringify(value) : MISMATCH;
}

const emitString: Emit = (value) => (typeof value === "string" ? string(value) : MISMATCH);
const emitStringOrNull: Emit = (value) =>
  typeof value === "string" ? string(value) : value === null ? "null" : MISMATCH;
// For a finite number String() is ECMAScript Number::toString, as JSON.stringify is (-0 gives "0").
const emitNumber: Emit = (value) =>
  typeof value === "number" && Number.isFinite(value) ? String(value) : MISMATCH;

function emitStringArray(value: unknown): string | typeof MISMATCH {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return MISMATCH;
  let out = "[";
  for (let i = 0; i < value.length; i++) {
    // A hole reads as undefined and fails here, so sparse arrays take the generic path too.
    const item: unknown = value[i];
    if (typeof item !== "string") return MISMATCH;
    const text = string(item);
    if (text === MISMATCH) return MISMATCH;
    out += i === 0 ? text : `,${text}`;
  }
  return `${out}]`;
}

const nullable =
  (emit: Emit): Emit =>
  (value) =>
    value === null ? "null" : emit(value);

function compile(shape: Shape): Emit {
  if (shape === "string") return emitString;
  if (shape === "stringOrNull") return emitStringOrNull;
  if (shape === "number") return emitNumber;
  const emit = "array" in shape ? emitStringArray : compileObject(shape.object, null);
  return shape.nullable ? nullable(emit) : emit;
}

/**
 * The members of a value in shape order, or MISMATCH unless it is a plain object with exactly
 * those members (plus `skip`, when given, which is left out). Names, their JSON prefixes and
 * each member's writer are worked out here once, not per event.
 */
function compileObject(members: Members, skip: string | null): Emit {
  const names = members.map(([name]) => name);
  const prefixes = names.map((name, i) => `${i === 0 ? "{" : ","}"${name}":`);
  const emits = members.map(([, shape]) => compile(shape));
  const known = new Set(skip === null ? names : [...names, skip]);
  /** The last key order seen that passed: events built alike share it, and === on it is cheap. */
  let lastKeys: readonly string[] = [];
  const exactMembers = (value: object): boolean => {
    // Object.keys is what the generic path serialises: own, enumerable, string-keyed members.
    const keys = Object.keys(value);
    if (keys.length === lastKeys.length && keys.every((key, i) => key === lastKeys[i])) return true;
    // Object.keys has no repeats, so all keys known and the count right means exactly the members.
    const withSkip = skip !== null && keys.includes(skip) ? 1 : 0;
    if (keys.length !== names.length + withSkip || !keys.every((key) => known.has(key))) return false;
    lastKeys = keys;
    return true;
  };
  return (value) => {
    if (!isPlainObject(value) || !exactMembers(value)) return MISMATCH;
    let out = "";
    for (let i = 0; i < emits.length; i++) {
      const text = (emits[i] as Emit)(value[names[i] as string]);
      if (text === MISMATCH) return MISMATCH;
      out += (prefixes[i] as string) + text;
    }
    return `${out}}`;
  };
}

const emitEvent = compileObject(EVENT_SHAPE, "hash");

/**
 * The specialised path alone: the canonical JSON of an event of exactly the audit event's
 * shape (without `hash`), or null when the guard sends it to the generic path.
 */
export function canonicalEventFast(event: unknown): string | null {
  const fast = emitEvent(event);
  return fast === MISMATCH ? null : fast;
}

/**
 * RFC 8785 canonical JSON of an audit event without its `hash` member (present or not),
 * byte-identical to `canonicalJson` of the event with `hash` removed.
 */
export function canonicalEvent(event: unknown): string {
  const fast = canonicalEventFast(event);
  if (fast !== null) return fast;
  if (typeof event !== "object" || event === null) return canonicalJson(event);
  const { hash: _hash, ...rest } = event as Record<string, unknown>;
  return canonicalJson(rest);
}
