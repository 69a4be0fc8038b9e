import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AUDIT_EVENT_MEMBERS, chain, GENESIS_HASH, hashEvent, sha256Hex } from "../../shared/domain/audit.js";
import { canonicalEvent, canonicalEventFast, canonicalJson, EVENT_SHAPE } from "../../shared/domain/jcs.js";

/**
 * The specialised canonicaliser against the generic one: for every input, the same bytes, or
 * the same error. Events are generated in the audit event's shape with hostile strings and
 * numbers (taking the fast path) and then mutated (taking the fallback), so both paths are
 * compared with `canonicalize` itself.
 */

type Outcome = { text: string } | { error: string };
const outcome = (work: () => string): Outcome => {
  try {
    return { text: work() };
  } catch (error: unknown) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
};

/** What the contract says the hash covers: the event with `hash` removed, through `canonicalize`. */
const generic = (event: unknown) =>
  outcome(() => {
    if (typeof event !== "object" || event === null) return canonicalJson(event);
    const { hash: _hash, ...rest } = event as Record<string, unknown>;
    return canonicalJson(rest);
  });

const HOSTILE = [
  "",
  '"',
  "\\",
  "\u0000",
  "\u0008\u0009\u000a\u000c\u000d",
  "\u001f",
  "\u007f",
  "\u2028",
  "\u2029",
  "\ud83d\ude00",
  "\ud800",
  "\udfff",
  "a\udc00b",
  "\ud83d",
  "é",
  "€",
  "\ufeff",
  "</script>",
];

/** Any UTF-16 code unit, so lone surrogates and unpaired halves come up, plus the hostile cases. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  fc.constantFrom(...HOSTILE),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 4 }).map((parts) => parts.join("x")),
);

const anyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    1e21,
    1e-7,
    123e-20,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 63),
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    5e-324,
    0.1 + 0.2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
);

const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

/** An event of exactly the audit event's shape, its leaves hostile. */
const anEvent = fc.record({
  id: anyString,
  shard: anyNumber,
  seq: anyNumber,
  at: anyString,
  action: anyString,
  actor: fc.record({ partnerId: orNull(anyString), sub: orNull(anyString), clientId: orNull(anyString) }),
  subjectId: orNull(anyString),
  concernId: orNull(anyString),
  notificationId: orNull(anyString),
  recipientId: orNull(anyString),
  agreement: orNull(fc.record({ id: anyString, version: anyNumber })),
  purpose: orNull(anyString),
  lawfulBasis: orNull(fc.array(anyString, { maxLength: 4 })),
  dataCategories: orNull(fc.array(anyString, { maxLength: 4 })),
  payloadSha256: orNull(anyString),
  reason: orNull(anyString),
  target: orNull(fc.record({ kind: anyString, id: anyString })),
  requestId: orNull(anyString),
  prevHash: anyString,
});
const withOptionalHash = fc
  .tuple(anEvent, fc.option(anyString, { nil: undefined }))
  .map(([event, hash]) => (hash === undefined ? event : { ...event, hash }));

/** One mutation that takes an event off the fast path's shape (or keeps it on, for some). */
type Mutate = (event: Record<string, unknown>) => unknown;
const mutation: fc.Arbitrary<Mutate> = fc.oneof<fc.Arbitrary<Mutate>[]>(
  fc.tuple(anyString, fc.jsonValue()).map(([key, value]) => (e) => ({ ...e, [key]: value })),
  fc
    .constantFrom(...AUDIT_EVENT_MEMBERS)
    .map((key) => (e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key))),
  fc.constantFrom(...AUDIT_EVENT_MEMBERS).map((key) => (e) => ({ ...e, [key]: undefined })),
  fc.tuple(fc.constantFrom(...AUDIT_EVENT_MEMBERS), fc.jsonValue()).map(([key, value]) => (e) => ({
    ...e,
    [key]: value,
  })),
  fc
    .tuple(fc.constantFrom("actor", "agreement", "target"), anyString, fc.jsonValue())
    .map(([key, extra, value]) => (e) => ({ ...e, [key]: { ...(e[key] as object), [extra]: value } })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, actor: { ...(e.actor as object), sub: undefined } })),
  fc.constant((e: Record<string, unknown>) => ({
    ...e,
    lawfulBasis: Object.assign(new Array<string>(3), { 0: "a", 2: "b" }),
  })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, lawfulBasis: ["a", undefined, "b"] })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, dataCategories: ["identity", 1, null] })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, seq: 7n })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, agreement: { id: "a", version: "1" } })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, at: new Date(0) })),
  fc.constant((e: Record<string, unknown>) => ({
    ...e,
    actor: { ...(e.actor as object), toJSON: () => "x" },
  })),
  fc.constant((e: Record<string, unknown>) => ({ ...e, id: new String("evt") })),
  fc.constant((e: Record<string, unknown>) => Object.assign(Object.create({ inherited: 1 }), e)),
  fc.constant((e: Record<string, unknown>) => Object.assign(Object.create(null), e)),
  fc.constant((e: Record<string, unknown>) => [e]),
  fc.constant((e: Record<string, unknown>) => {
    const copy = { ...e, extra: "hidden" };
    Object.defineProperty(copy, "requestId", { value: e.requestId, enumerable: false });
    return copy;
  }),
);

describe("canonicalEvent, the audit event's specialised RFC 8785 canonicaliser", () => {
  it("knows exactly the audit event's members (without hash), in RFC 8785 order", () => {
    const names = EVENT_SHAPE.map(([name]) => name);
    expect(names).toEqual(AUDIT_EVENT_MEMBERS.filter((m) => m !== "hash").sort());
    expect([...names].sort()).toEqual(names);
  });

  it("gives the generic canonicaliser's bytes, or its error, for every event of the audit shape", () => {
    fc.assert(
      fc.property(withOptionalHash, (event) => {
        expect(outcome(() => canonicalEvent(event))).toEqual(generic(event));
      }),
      { numRuns: 2_000 },
    );
  });

  it("takes the fast path for every well-formed event and gives the same bytes there", () => {
    const wellFormed = anyString.filter((s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed());
    const finite = anyNumber.filter(Number.isFinite);
    const plain = fc.record({
      id: wellFormed,
      shard: finite,
      seq: finite,
      at: wellFormed,
      action: wellFormed,
      actor: fc.record({
        partnerId: orNull(wellFormed),
        sub: orNull(wellFormed),
        clientId: orNull(wellFormed),
      }),
      subjectId: orNull(wellFormed),
      concernId: orNull(wellFormed),
      notificationId: orNull(wellFormed),
      recipientId: orNull(wellFormed),
      agreement: orNull(fc.record({ id: wellFormed, version: finite })),
      purpose: orNull(wellFormed),
      lawfulBasis: orNull(fc.array(wellFormed, { maxLength: 3 })),
      dataCategories: orNull(fc.array(wellFormed, { maxLength: 3 })),
      payloadSha256: orNull(wellFormed),
      reason: orNull(wellFormed),
      target: orNull(fc.record({ kind: wellFormed, id: wellFormed })),
      requestId: orNull(wellFormed),
      prevHash: wellFormed,
      hash: wellFormed,
    });
    fc.assert(
      fc.property(plain, (event) => {
        const fast = canonicalEventFast(event);
        expect(fast).not.toBeNull();
        expect({ text: fast }).toEqual(generic(event));
      }),
      { numRuns: 1_500 },
    );
  });

  it("takes the fast path whatever order the members were written in", () => {
    const order = fc.array(fc.integer(), { minLength: 1, maxLength: 32 });
    fc.assert(
      fc.property(withOptionalHash, order, (event, order) => {
        // Rebuild each object with its members in a random order: the guard must not depend on it.
        const shuffle = (value: unknown): unknown => {
          if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
          const entries = Object.entries(value).map(
            ([k, v], i) => [order[i % order.length] ?? 0, k, shuffle(v)] as const,
          );
          entries.sort((a, b) => a[0] - b[0]);
          return Object.fromEntries(entries.map(([, k, v]) => [k, v]));
        };
        const reordered = shuffle(event);
        expect(outcome(() => canonicalEvent(reordered))).toEqual(generic(event));
        expect(canonicalEventFast(reordered)).toBe(canonicalEventFast(event));
      }),
      { numRuns: 1_000 },
    );
  });

  it("refuses a lone surrogate exactly as the generic path does, wherever it is", () => {
    const base = chain(
      [
        {
          id: "evt_1",
          at: "2026-11-20T21:45:00.000Z",
          action: "disclosure",
          actor: { partnerId: "essex-police", sub: "pc-1", clientId: "app" },
          subjectId: null,
          concernId: null,
          notificationId: null,
          recipientId: null,
          agreement: { id: "a", version: 1 },
          purpose: null,
          lawfulBasis: ["x"],
          dataCategories: null,
          payloadSha256: null,
          reason: null,
          target: { kind: "partner", id: "p" },
          requestId: null,
        },
      ],
      { shard: 0, seq: 0, hash: GENESIS_HASH },
    )[0] as unknown as Record<string, unknown>;
    for (const event of [
      { ...base, reason: "\ud800" },
      { ...base, lawfulBasis: ["ok", "\udfff"] },
      { ...base, actor: { ...(base.actor as object), sub: "a\ud83d" } },
      { ...base, target: { kind: "partner", id: "\udc00" } },
    ]) {
      expect(canonicalEventFast(event)).toBeNull();
      const failure = outcome(() => canonicalEvent(event));
      expect(failure).toEqual({ error: "Error: Lone surrogate is not allowed" });
      expect(failure).toEqual(generic(event));
    }
  });

  it("sends events with extra, missing or retyped members to the generic path, with the same result", () => {
    fc.assert(
      fc.property(withOptionalHash, mutation, (event, mutate) => {
        const mutated = mutate(event);
        expect(outcome(() => canonicalEvent(mutated))).toEqual(generic(mutated));
      }),
      { numRuns: 2_000 },
    );
  });

  it("is what hashEvent hashes, so chained events verify the same as before", () => {
    const [event] = chain(
      [
        {
          id: "evt_é",
          at: "2026-11-20T21:45:00.000Z",
          action: "disclosure",
          actor: { partnerId: null, sub: "\u2028", clientId: "app" },
          subjectId: "subj",
          concernId: null,
          notificationId: null,
          recipientId: null,
          agreement: null,
          purpose: null,
          lawfulBasis: null,
          dataCategories: ["identity"],
          payloadSha256: null,
          reason: "emoji \ud83d\ude00",
          target: null,
          requestId: null,
        },
      ],
      { shard: 3, seq: 41, hash: GENESIS_HASH },
    );
    if (!event) throw new Error("no event chained");
    const { hash, ...rest } = event;
    expect(hash).toBe(sha256Hex(canonicalJson(rest)));
    expect(hashEvent(event)).toBe(hash);
    expect(canonicalEventFast(event)).toBe(canonicalJson(rest));
  });
});
