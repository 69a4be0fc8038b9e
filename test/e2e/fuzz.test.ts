import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema, ProblemSchema } from "../../shared/api/schemas.js";
import { DEMO_RULES } from "../../shared/demo-registry.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Generated and mutated bodies on every write route: never a 5xx, every 4xx problem+json,
 * over 64 KiB 413; and afterwards the chain verifies and holds exactly the disclosure events
 * the accepted submissions account for, so no rejected request wrote a thing.
 */

const SEED = 20_261_124;
/** Runs per route: the submission route is fuzzed hardest; 2,200 bodies in all, about a minute. */
const RUNS = { concerns: 1000, other: 150 };
const IN_FLIGHT = 8;
const MAX_BODY = 64 * 1024;
const DEEP = "__FUZZ_DEEP__";
const LONE = "__FUZZ_LONE__";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];
interface Case {
  kind: string;
  raw: string;
  contentType: string;
}

/** Every node of a JSON value, by its path from the root. */
function paths(value: Json, prefix: Path = []): Path[] {
  const here: Path[] = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...prefix, i])));
  if (value !== null && typeof value === "object") {
    return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  }
  return here;
}

/** An own member, even when it is named __proto__. */
function define(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Apply `edit` to the parent of `path` in a copy of `root`; the root itself is replaced instead. */
function edit(
  root: Json,
  path: Path,
  edit: (parent: Json[] | Record<string, Json>, key: string | number) => void,
): Json {
  const copy = structuredClone(root);
  let parent = copy as Json;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string, Json>)[step as string] as Json;
  const key = path.at(-1);
  if (key !== undefined && parent !== null && typeof parent === "object") edit(parent, key);
  return copy;
}

function replaceAt(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  return edit(root, path, (parent, key) => {
    if (Array.isArray(parent)) parent[key as number] = value;
    else define(parent, String(key), value);
  });
}

function dropAt(root: Json, path: Path): Json {
  if (path.length === 0) return {};
  return edit(root, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[String(key)];
  });
}

function addAt(root: Json, path: Path, key: string, value: Json): Json {
  const objects = paths(root).filter((p) => {
    const node = p.reduce<Json>((n, k) => (n as Record<string, Json>)[k as string] as Json, root);
    return node !== null && typeof node === "object" && !Array.isArray(node);
  });
  const target = objects[path.length % Math.max(objects.length, 1)] ?? [];
  const copy = structuredClone(root);
  const node = target.reduce<Json>((n, k) => (n as Record<string, Json>)[k as string] as Json, copy);
  if (node !== null && typeof node === "object" && !Array.isArray(node)) define(node, key, value);
  return copy;
}

const nasty = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"),
  fc.string({ maxLength: 12 }),
);
const hugeLength = fc.oneof(
  { arbitrary: fc.integer({ min: 1_000, max: 60_000 }), weight: 4 },
  { arbitrary: fc.integer({ min: 66_000, max: 90_000 }), weight: 1 },
);
const anyJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** One mutation of a valid body, named so a failure says what was sent. */
function mutations(valid: Json): fc.Arbitrary<Case> {
  const all = paths(valid);
  const at = fc.nat({ max: all.length - 1 }).map((i) => all[i] ?? []);
  const json = (kind: string, value: Json, post: (s: string) => string = (s) => s): Case => ({
    kind,
    raw: post(JSON.stringify(value)),
    contentType: "application/json",
  });
  const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  return fc.oneof(
    fc.constant(json("valid as is", valid)),
    at.map((p) => json("member dropped", dropAt(valid, p))),
    fc.tuple(at, anyJson).map(([p, v]) => json("member replaced (wrong type)", replaceAt(valid, p, v))),
    fc
      .tuple(at, nasty, anyJson)
      .map(([p, k, v]) => json(`member added (${k.slice(0, 16)})`, addAt(valid, p, k, v))),
    fc.tuple(at, hugeLength).map(([p, n]) => json(`huge string (${n})`, replaceAt(valid, p, "x".repeat(n)))),
    fc
      .tuple(at, fc.constantFrom(2_000, 6_000, 20_000))
      .map(([p, d]) =>
        json(`deep nesting (${d}) in a member`, replaceAt(valid, p, DEEP), (s) =>
          s.replace(`"${DEEP}"`, deep(d)),
        ),
      ),
    at.map((p) =>
      json("lone surrogate in a value", replaceAt(valid, p, LONE), (s) =>
        s.replace(`"${LONE}"`, '"a\\ud800b"'),
      ),
    ),
    at.map((p) =>
      json("lone surrogate in a key", addAt(valid, p, LONE, 1), (s) => s.replace(`"${LONE}"`, '"\\udfffk"')),
    ),
  );
}

function cases(valid: Json): fc.Arbitrary<Case> {
  const raw = (kind: string, arb: fc.Arbitrary<string>) =>
    arb.map((text) => ({ kind, raw: text, contentType: "application/json" }));
  return fc.oneof(
    { arbitrary: mutations(valid), weight: 8 },
    { arbitrary: raw("random JSON", fc.json({ maxDepth: 4 })), weight: 2 },
    {
      arbitrary: raw(
        "anything",
        fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
      ),
      weight: 1,
    },
    { arbitrary: raw("not JSON", fc.string({ maxLength: 40 })), weight: 1 },
    {
      arbitrary: fc.constantFrom(2_000, 6_000, 20_000).map((d) => ({
        kind: `deep nesting (${d}) at the top level`,
        raw: `${"[".repeat(d)}${"]".repeat(d)}`,
        contentType: "application/json",
      })),
      weight: 1,
    },
    {
      arbitrary: mutations(valid).map((c) => ({
        ...c,
        kind: `${c.kind}, as text/plain`,
        contentType: "text/plain",
      })),
      weight: 1,
    },
  );
}

/** Run `work` over `items` with at most `width` at a time. */
async function inPool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

interface WriteRoute {
  name: string;
  method: string;
  path: () => string;
  client: string;
  scope: string;
  valid: () => Json;
}

describe("fuzzing the write routes", () => {
  let hub: Hub;
  let police: string;
  let auditor: string;
  let mashNotification = "";
  let reviewId = "";
  /** What every accepted submission says it disclosed or refused. */
  const accounted = { disclosures: 0 };

  const account = (body: unknown) => {
    const receipt = ConcernReceiptSchema.parse(body);
    accounted.disclosures += receipt.notifications.length + receipt.refusals.length;
    return receipt;
  };

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    police = await hub.token("essex-police-app", "concerns:submit", "pc-fuzz");
    auditor = await hub.token("essex-police-ig", "audit:read", "ig-fuzz");
    const amy = account(
      (await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() })).json,
    );
    const glass = account(
      (
        await call(hub, "POST", "/v1/concerns", {
          token: police,
          body: amyConcern({
            concernType: "neglect_or_abuse",
            breakGlass: { justification: "Immediate risk: health must be told tonight." },
          }),
        })
      ).json,
    );
    mashNotification = amy.notifications.find((n) => n.recipientId === "essex-mash")?.id ?? "";
    reviewId = glass.notifications.find((n) => n.recipientId === "essex-health")?.id ?? "";
    const partner = await call(hub, "POST", "/v1/partners", {
      token: await hub.token("essex-police-ig", "partners:manage"),
      body: {
        id: "fuzz-partner",
        name: "Fuzz partner",
        type: "voluntary_sector",
        areas: ["essex"],
        clientIds: [],
      },
    });
    expect(partner.status).toBe(201);
  });
  afterAll(async () => {
    await hub.stop();
  });

  const writeRoutes: WriteRoute[] = [
    {
      name: "POST /v1/concerns",
      method: "POST",
      path: () => "/v1/concerns",
      client: "essex-police-app",
      scope: "concerns:submit",
      valid: () => amyConcern() as unknown as Json,
    },
    {
      name: "acknowledge",
      method: "POST",
      path: () => `/v1/notifications/${mashNotification}/acknowledge`,
      client: "essex-mash-portal",
      scope: "notifications:respond",
      valid: () => ({}),
    },
    {
      name: "outcome",
      method: "POST",
      path: () => `/v1/notifications/${mashNotification}/outcome`,
      client: "essex-mash-portal",
      scope: "notifications:respond",
      valid: () => ({ outcome: "early_help", note: "Family support offered" }),
    },
    {
      name: "POST /v1/agreements",
      method: "POST",
      path: () => "/v1/agreements",
      client: "essex-police-ig",
      scope: "agreements:manage",
      valid: () => ({
        id: "fuzz-agreement",
        title: "Fuzzed",
        discloserId: "essex-police",
        recipientId: "essex-health",
        purposes: ["safeguarding"],
        lawfulBasis: ["UK GDPR Art. 6(1)(e)"],
        concernTypes: ["neglect_or_abuse"],
        dataCategories: ["identity", "risk"],
        ageRange: { min: 0, max: 17 },
        areas: ["essex"],
        validFrom: "2026-01-01T00:00:00Z",
        validTo: "2029-01-01T00:00:00Z",
        retentionDays: 365,
      }),
    },
    {
      name: "PUT /v1/routing-rules",
      method: "PUT",
      path: () => "/v1/routing-rules",
      client: "essex-police-ig",
      scope: "routing:manage",
      valid: () => ({ rules: DEMO_RULES }) as unknown as Json,
    },
    {
      name: "POST /v1/partners",
      method: "POST",
      path: () => "/v1/partners",
      client: "essex-police-ig",
      scope: "partners:manage",
      valid: () => ({
        id: "fuzz-new",
        name: "New partner",
        type: "health",
        areas: ["essex"],
        clientIds: ["fuzz-new-app"],
      }),
    },
    {
      name: "PATCH /v1/partners/{id}",
      method: "PATCH",
      path: () => "/v1/partners/fuzz-partner",
      client: "essex-police-ig",
      scope: "partners:manage",
      valid: () => ({ name: "Fuzz partner renamed", areas: ["essex", "southend"] }),
    },
    {
      name: "POST /v1/audit/reviews/{id}",
      method: "POST",
      path: () => `/v1/audit/reviews/${reviewId}`,
      client: "essex-police-ig",
      scope: "audit:review",
      valid: () => ({ finding: "justified", note: "Risk confirmed" }),
    },
    {
      name: "PUT /v1/calendars/{area}",
      method: "PUT",
      path: () => "/v1/calendars/essex",
      client: "essex-police-ig",
      scope: "routing:manage",
      valid: () => ({
        holidays: ["2026-12-25"],
        schoolHolidays: [],
        workingHours: { start: "08:00", end: "18:00" },
      }),
    },
  ];

  /** What the contract forbids in one answer, or null. */
  function violation(c: Case, response: Awaited<ReturnType<typeof call>>): string | null {
    const bytes = Buffer.byteLength(c.raw);
    if (response.status >= 500) return `${response.status} (${response.text.slice(0, 120)})`;
    if (bytes > MAX_BODY && response.status !== 413) return `${response.status} for ${bytes} bytes, not 413`;
    if (response.status < 400) return null;
    if (response.headers.get("content-type") !== "application/problem+json") return "4xx not problem+json";
    if (!ProblemSchema.safeParse(response.json).success) return "4xx body is not a problem";
    if (/at \w+ \(|node_modules/.test(response.text)) return "stack trace in the error";
    return null;
  }

  it.each(writeRoutes.map((r) => [r.name, r] as const))(
    "%s: never a 5xx, every 4xx problem+json",
    async (_, route) => {
      // Prepare
      const token = await hub.token(route.client, route.scope, "fuzzer");
      const generated = fc.sample(cases(route.valid()), {
        seed: SEED,
        numRuns: route.name === "POST /v1/concerns" ? RUNS.concerns : RUNS.other,
      });
      const found = new Map<string, { count: number; example: string }>();

      // Act: a few requests in flight at once, as clients would send them.
      await inPool(generated, IN_FLIGHT, async (c) => {
        const response = await call(hub, route.method, route.path(), {
          token,
          raw: c.raw,
          headers: { "content-type": c.contentType },
        });
        if (route.name === "POST /v1/concerns" && response.status === 201) account(response.json);
        const problem = violation(c, response);
        if (problem) {
          const key = `${c.kind}: ${problem.replace(/\(.*\)/, "").trim()}`;
          const seen = found.get(key);
          found.set(key, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? problem });
        }
      });

      // Assess
      expect(Object.fromEntries(found)).toEqual({});
    },
    60_000,
  );

  it("leaves a chain that verifies, with exactly the disclosures the receipts account for", async () => {
    // Act
    const verify = await call(hub, "GET", "/v1/audit/verify", { token: auditor });
    const exported = await call(hub, "GET", "/v1/audit/export", { token: auditor });

    // Assess
    expect(verify.status).toBe(200);
    expect(verify.json.problems).toEqual([]);
    expect(verify.json.valid).toBe(true);
    const actions = exported.text
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { action: string }).action);
    const disclosures = actions.filter((a) =>
      ["disclosure", "disclosure_refused", "break_glass_disclosure"].includes(a),
    ).length;
    expect(disclosures).toBe(accounted.disclosures);
    expect(accounted.disclosures).toBeGreaterThan(3);
  });
});
