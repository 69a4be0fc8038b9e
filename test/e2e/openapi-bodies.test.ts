import { createGeneratorSync, generateSync } from "json-schema-faker";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { call, type Hub, startHub } from "../support/hub.js";
import { OpenApiCheck } from "../support/openapi-check.js";

/**
 * The served document promises no more than the hub accepts: for every operation that takes a
 * body, bodies generated from the document's own request schema (json-schema-faker, seeded)
 * are accepted. A 2xx, or a 4xx about state rather than shape (404 no such resource, 409
 * conflict), is acceptance; a 400 is a schema that says less than the handler enforces.
 */

type Json = Record<string, unknown>;

const BODIES_PER_OPERATION = 20;
/** Bodies the generator makes that fail the document's schema anyway (it cannot honour every keyword) are made again. */
const ATTEMPTS_PER_OPERATION = 400;
const SEED = 14;

/** The document's own format `nhs-number` (ten digits, Modulus 11 check digit), as the generator makes it. */
function nhsNumber(random: { int(min: number, max: number): number }): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => random.int(0, 9));
    const check = 11 - (digits.reduce((sum, d, i) => sum + d * (10 - i), 0) % 11);
    if (check !== 10) return `${digits.join("")}${check === 11 ? 0 : check}`;
  }
}

/** Who may call with each scope in the demo registry (essex-police is the governance partner). */
const CLIENT_FOR_SCOPE: Record<string, string> = {
  "concerns:submit": "essex-police-app",
  "notifications:respond": "essex-mash-portal",
};
const GOVERNANCE_CLIENT = "essex-police-ig";

/**
 * Path parameters: real resources where the body then really applies (a partner that governs
 * nothing, the demo's area), otherwise ids that do not exist (the 404 comes after the body's
 * validation, so the body is still checked).
 */
const PATH_VALUES: Record<string, string> = {
  "/v1/partners/{id}": "essex-yos",
  "/v1/calendars/{area}": "essex",
};

interface Operation {
  method: string;
  template: string;
  operationId: string;
  scope: string;
  schema: Json;
}

function operationsWithBodies(doc: Json): Operation[] {
  const list: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content;
      if (!body?.["application/json"]) continue;
      list.push({
        method: method.toUpperCase(),
        template,
        operationId: String(op.operationId),
        scope: String(op["x-lantern-scope"]),
        schema: body["application/json"].schema,
      });
    }
  }
  return list;
}

/**
 * The rules JSON Schema cannot state, which the document states in words instead: cross-field
 * (one member against another) and referential (against the registry or the routing). A 400
 * whose every error is one of these is the hub keeping a documented rule, not a schema that
 * promises too much. Each names the member and the message the hub answers with.
 */
const DOCUMENTED_RULES: { path: RegExp; message: RegExp }[] = [
  // AgeRange: "min must not exceed max".
  { path: /\/ageRange\/max$/, message: /^min must not exceed max$/ },
  // AgreementTerms: "validTo must be after validFrom".
  { path: /^\/validTo$/, message: /^validTo must be after validFrom$/ },
  // Calendar: "end must be after start".
  { path: /^\/workingHours\/end$/, message: /^end must be after start$/ },
  // Partner: schoolDayStartsAt, closures, keyAdults are for school partners only.
  { path: /^\/(schoolDayStartsAt|closures|keyAdults)$/, message: /^is for school partners only$/ },
  // Partner: at most 5 Key Adults with an email or mobile (each is a write in the submission's one transaction).
  { path: /^\/keyAdults$/, message: /^at most \d+ Key Adults may have an email or mobile$/ },
  // Durations: the sum of their parts is at most 366 days.
  { path: /\/due\/(red|amber|green|duration)$/, message: /^must be at most 366 days/ },
  // Referential: an agreement's discloser and recipient are registered partners.
  { path: /^\/(discloserId|recipientId)$/, message: /^no partner \S+ is registered$/ },
  // Against the hub's clock (no JSON Schema keyword can name today): a child's date of birth.
  {
    path: /^\/subject\/dateOfBirth$/,
    message: /^(cannot be in the future|Lantern serves children and young people up to 24)$/,
  },
  // Withhold: only a recipient this concern routes to.
  { path: /^\/withhold\/\d+\/recipientId$/, message: /^this concern does not route to that recipient$/ },
];

interface FieldError {
  path: string;
  message: string;
}

interface Problem {
  detail?: string;
  errors?: FieldError[];
}

/** Acceptance: 2xx, or 404/409 (about state), or a 400 every error of which is a documented rule; else what was refused. */
function refusalOf(status: number, problem: Problem | null): string | null {
  if ([200, 201, 202, 204, 404, 409].includes(status)) return null;
  const errors = problem?.errors ?? [];
  const documented = errors.every((e) =>
    DOCUMENTED_RULES.some((r) => r.path.test(e.path) && r.message.test(e.message)),
  );
  if (status === 400 && errors.length > 0 && documented) return null;
  return `${status} ${errors.map((e) => `${e.path} ${e.message}`).join("; ") || problem?.detail}`;
}

const concretePath = (template: string) =>
  PATH_VALUES[template] !== undefined
    ? template.replace(/\{[^}]+\}/, PATH_VALUES[template])
    : template.replace("{version}", "1").replace(/\{[^}]+\}/g, "no-such-thing-0000");

type Formats = Record<string, (random: { int(min: number, max: number): number }) => string>;

/**
 * json-schema-faker ignores lookaheads (`(?=...)`) in a pattern. For the generator only, such a
 * string gets a format of its own that makes strings from the pattern without its lookaheads
 * until one matches the whole pattern; every body sent is still checked against the document.
 */
function forGenerator(schema: unknown, formats: Formats): unknown {
  if (Array.isArray(schema)) return schema.map((s) => forGenerator(s, formats));
  if (schema === null || typeof schema !== "object") return schema;
  const mapped = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, forGenerator(v, formats)]),
  ) as Json;
  const pattern = mapped.pattern;
  if (typeof pattern !== "string" || !pattern.includes("(?=")) return mapped;
  const whole = new RegExp(pattern, "u");
  const name = `lookahead-${Object.keys(formats).length}`;
  formats[name] = (random) => {
    const bare = { type: "string", pattern: pattern.replace(/\(\?=[^()]*\)/g, "") };
    for (let i = 0; i < 1000; i++) {
      const candidate = generateSync(bare as never, { seed: random.int(1, 2 ** 30) }) as string;
      if (whole.test(candidate)) return candidate;
    }
    throw new Error(`nothing generated matches ${pattern}`);
  };
  return { ...mapped, format: name };
}

describe("bodies generated from the served OpenAPI document", () => {
  let hub: Hub;
  let doc: Json;
  let check: OpenApiCheck;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    doc = (await call(hub, "GET", "/v1/openapi.json")).json as Json;
    check = new OpenApiCheck(doc);
  });
  afterAll(async () => {
    await hub.stop();
  });

  /** Seeded bodies for one operation that its schema in the document accepts (made again when not). */
  function bodiesFor(op: Operation, generator: { generate(schema: unknown): unknown }, formats: Formats) {
    const validate = check.validator(`request ${op.operationId}`, op.schema);
    const components = forGenerator(doc.components, formats) as Json;
    const bodies: unknown[] = [];
    let madeAgain = 0;
    for (
      let attempt = 0;
      bodies.length < BODIES_PER_OPERATION && attempt < ATTEMPTS_PER_OPERATION;
      attempt++
    ) {
      const body = generator.generate({ ...(forGenerator(op.schema, formats) as Json), components });
      if (validate(body)) bodies.push(body);
      else madeAgain++;
    }
    return { bodies, madeAgain };
  }

  it("are each accepted: no 400 for a body the document allows", async () => {
    // Prepare
    const operations = operationsWithBodies(doc);
    const formats: Formats = { "nhs-number": nhsNumber };
    const generator = createGeneratorSync({
      seed: SEED,
      optionalsProbability: 0.7,
      maxDefaultItems: 3,
      // Deep enough for a rule set's rules (the default, 5, fills deeper arrays with nulls).
      maxDepth: 12,
      // Times a safeguarding record can hold: not before the hub's calendars, not in the future.
      minDateTime: "2024-01-01T00:00:00Z",
      maxDateTime: new Date().toISOString(),
      formats,
    }) as { generate(schema: unknown): unknown };

    // Act
    const refusals: string[] = [];
    const statuses: Record<string, number[]> = {};
    const madeAgain: Record<string, number> = {};
    for (const op of operations) {
      const made = bodiesFor(op, generator, formats);
      madeAgain[op.operationId] = made.madeAgain;
      const token = await hub.token(
        CLIENT_FOR_SCOPE[op.scope] ?? GOVERNANCE_CLIENT,
        op.scope,
        "openapi-bodies",
      );
      for (const [n, body] of made.bodies.entries()) {
        const answer = await call(hub, op.method, concretePath(op.template), {
          token,
          body,
          headers: { "idempotency-key": `openapi-bodies-${op.operationId}-${n}` },
        });
        statuses[op.operationId] = [...(statuses[op.operationId] ?? []), answer.status];
        const refusal = refusalOf(answer.status, answer.json as Problem | null);
        if (refusal)
          refusals.push(
            `${op.operationId} #${n} → ${refusal}\n    body: ${JSON.stringify(body).slice(0, 400)}`,
          );
      }
    }

    // Assess
    expect(operations.length).toBeGreaterThanOrEqual(13);
    const sent = operations.map((op) => statuses[op.operationId]?.length ?? 0);
    expect(sent, `bodies made again: ${JSON.stringify(madeAgain)}`).toEqual(
      operations.map(() => BODIES_PER_OPERATION),
    );
    // Every refusal in the message: a long array's diff is cut short.
    expect(refusals, `${JSON.stringify(statuses)}\n${refusals.join("\n")}`).toEqual([]);
  }, 300_000);
});
