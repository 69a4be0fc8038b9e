import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ZodMiniObject } from "zod/mini";
import { type RouteSpec, routes } from "../../shared/api/routes.js";
import { ConcernReceiptSchema } from "../../shared/api/schemas.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import type { Partner } from "../../shared/domain/registry.js";
import { cursorBinding, sealCursor } from "../../shared/http/cursors.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Every paged route, generated from the route table, refuses a cursor the hub did not issue,
 * or issued for another query or another caller, with a 400 problem+json and never a 5xx.
 * The test reads the hub's cursor key from its data directory to make exactly the cursors the
 * hub would have issued to someone else.
 */

const shapeOf = (schema: unknown) => (schema as ZodMiniObject | undefined)?.shape ?? {};
const table = routes as readonly RouteSpec[];
const paged = table.filter(
  (r) =>
    r.method === "GET" && ("cursor" in shapeOf(r.query) || "nextCursor" in shapeOf(r.responses[200]?.schema)),
);
const label = (r: RouteSpec) => `${r.method} ${r.path}`;
const partner = (id: string) => DEMO_PARTNERS.find((p) => p.id === id) as Partner;

/** Whose records a route serves, as in the authorisation matrix. */
function callerFor(route: RouteSpec): { clientId: string; partner: Partner } {
  if (route.group === "notifications")
    return { clientId: "st-marys-primary-app", partner: partner("st-marys-primary") };
  if (route.group === "concerns") return { clientId: "essex-police-app", partner: partner("essex-police") };
  return { clientId: "essex-police-ig", partner: partner("essex-police") };
}

describe("tamper-evident cursors on every paged route", () => {
  let hub: Hub;
  let key: Buffer;
  let notificationId: string;
  const SUB = "cursor-user";

  const tokenFor = (route: RouteSpec, sub = SUB) =>
    hub.token(callerFor(route).clientId, route.scope ?? "", sub);
  const pathOf = (route: RouteSpec) => route.path.replace("{id}", notificationId);
  const paramsOf = (route: RouteSpec): Record<string, string> =>
    route.path.includes("{id}") ? { id: notificationId } : {};
  /** The cursor the hub would issue for this route, these filters, and this caller. */
  const cursorAs = (route: RouteSpec, position: string, who: { partner: Partner; sub: string }, query = {}) =>
    sealCursor(key, cursorBinding(route, who, paramsOf(route), query), position);
  const get = async (route: RouteSpec, query: Record<string, string>, sub = SUB) =>
    call(hub, "GET", `${pathOf(route)}?${new URLSearchParams(query)}`, { token: await tokenFor(route, sub) });

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    key = Buffer.from(readFileSync(join(hub.dataDir, "cursor-key"), "utf8").trim(), "base64");
    const police = await hub.token("essex-police-app", "concerns:submit", "pc-1");
    const ig = await hub.token("essex-police-ig", "audit:checkpoint", "ig-1");
    const breakGlass = { justification: "Immediate risk to life: health must know tonight." };
    const receipts = [];
    for (const body of [
      amyConcern(),
      amyConcern(),
      amyConcern({ concernType: "neglect_or_abuse", breakGlass }),
      amyConcern({ concernType: "neglect_or_abuse", breakGlass }),
    ]) {
      receipts.push(
        ConcernReceiptSchema.parse((await call(hub, "POST", "/v1/concerns", { token: police, body })).json),
      );
    }
    for (let i = 0; i < 2; i++)
      expect((await call(hub, "POST", "/v1/audit/checkpoints", { token: ig })).status).toBe(201);
    const school = receipts[0]?.notifications.find((n) => n.recipientId === "st-marys-primary");
    notificationId = school?.id ?? "";
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("finds every paged route in the table, and each takes a cursor", () => {
    expect(paged.map((r) => r.operationId)).toEqual(
      expect.arrayContaining([
        "listNotifications",
        "listPartners",
        "listAgreements",
        "listEscalations",
        "listReviews",
        "listCheckpoints",
        "queryAuditEvents",
        "exportAudit",
      ]),
    );
    for (const route of paged)
      expect({ route: route.operationId, cursor: "cursor" in shapeOf(route.query) }).toEqual({
        route: route.operationId,
        cursor: true,
      });
  });

  const position = Buffer.from(JSON.stringify({ shard: 0, seq: 1 })).toString("base64url");
  const cases: [string, (route: RouteSpec) => string][] = [
    ["made up", () => "bm90LWEtY3Vyc29y"],
    ["unsealed, as the hub's cursors once were", () => position],
    [
      "sealed with another key",
      (r) =>
        sealCursor(
          Buffer.alloc(32, 1),
          cursorBinding(r, { ...callerFor(r), sub: SUB }, paramsOf(r), {}),
          position,
        ),
    ],
    [
      "issued to another user of the same partner",
      (r) => cursorAs(r, position, { partner: callerFor(r).partner, sub: "someone-else" }),
    ],
    [
      "issued to another partner's user",
      (r) => cursorAs(r, position, { partner: partner("essex-mash"), sub: SUB }),
    ],
    [
      "issued for another route",
      (r) =>
        cursorAs(
          { ...r, operationId: r.operationId === "queryAuditEvents" ? "listReviews" : "queryAuditEvents" },
          position,
          { ...callerFor(r), sub: SUB },
        ),
    ],
    [
      "issued for other filters",
      (r) =>
        cursorAs(r, position, { ...callerFor(r), sub: SUB }, { status: "pending", action: "disclosure" }),
    ],
    [
      "edited after issue",
      (r) => {
        const good = cursorAs(r, position, { ...callerFor(r), sub: SUB });
        return `${Buffer.from(JSON.stringify({ shard: 0, seq: 0 })).toString("base64url")}${good.slice(position.length)}`;
      },
    ],
  ];

  it.each(paged.flatMap((r) => cases.map(([name, make]) => [label(r), name, r, make] as const)))(
    "%s: a cursor %s is a 400 problem+json",
    async (_, __, route, make) => {
      // Act
      const response = await get(route, { cursor: make(route) });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.json.type).toBe("https://lantern.example/problems/invalid-cursor");
    },
  );

  const issuing: [string, Record<string, string>, Record<string, string>][] = [
    ["queryAuditEvents", { limit: "1" }, { action: "disclosure" }],
    ["queryAuditEvents", { action: "disclosure", limit: "1" }, { action: "disclosure_refused" }],
    ["listNotifications", { limit: "1" }, { status: "acknowledged" }],
    ["listReviews", { status: "pending", limit: "1" }, { status: "reviewed" }],
    ["listCheckpoints", { limit: "1" }, {}],
  ];

  it.each(issuing)(
    "%s %j: follows its own cursor; refuses it for other filters or another user",
    async (op, query, other) => {
      // Prepare
      const route = paged.find((r) => r.operationId === op) as RouteSpec;
      const first = await get(route, query);
      const cursor = first.json.nextCursor as string;
      expect(typeof cursor).toBe("string");

      // Act
      const next = await get(route, { ...query, limit: "2", cursor });
      const otherUser = await get(route, { ...query, cursor }, "someone-else");
      const otherQuery =
        Object.keys(other).length > 0 ? await get(route, { ...query, ...other, cursor }) : null;

      // Assess: the page size may change; the query and the caller may not.
      expect(next.status).toBe(200);
      expect(otherUser.status).toBe(400);
      if (otherQuery) expect(otherQuery.status).toBe(400);
    },
  );
});
