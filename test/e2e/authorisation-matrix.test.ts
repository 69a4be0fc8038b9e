import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RouteSpec, routes, SCOPES, type Scope } from "../../shared/api/routes.js";
import { ConcernReceiptSchema } from "../../shared/api/schemas.js";
import { isGovernanceScope } from "../../shared/app/context.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Generated from the route table: every scoped route answers 401 without a token, 403 with
 * every scope but its own, and neither with its own; public routes need no token; and no
 * route under a notification or a concern serves another partner's record. The management
 * and audit scopes count only for a governance partner's clients, and nobody reviews their own
 * decision.
 */

const ALL_SCOPES = Object.keys(SCOPES) as Scope[];
/** Scopes that carry another with them (the contract: routing:manage implies routing:read). */
const IMPLIES: Partial<Record<Scope, Scope[]>> = { "routing:manage": ["routing:read"] };

const table = routes as readonly RouteSpec[];
const scoped = table.filter((r): r is RouteSpec & { scope: Scope } => r.scope !== null);
const publicRoutes = table.filter((r) => r.scope === null);
const label = (r: RouteSpec) => `${r.method} ${r.path}`;

/** Every scope except the route's, and except any scope that implies it. */
function allBut(scope: Scope): string {
  return ALL_SCOPES.filter((s) => s !== scope && !IMPLIES[s]?.includes(scope)).join(" ");
}

/** Whose records a route serves: notification routes the recipient's, concern routes the force's. */
function clientFor(route: RouteSpec): string {
  if (route.group === "notifications") return "st-marys-primary-app";
  if (route.group === "concerns") return "essex-police-app";
  return "essex-police-ig";
}

interface Fixtures {
  concernId: string;
  subjectId: string;
  schoolNotificationId: string;
  reviewId: string;
}

function concretePath(route: RouteSpec, f: Fixtures): string {
  const byParam: Record<string, string> = {
    subjectId: f.subjectId,
    area: "essex",
    version: "1",
  };
  const idFor = (path: string): string => {
    if (path.startsWith("/v1/concerns/")) return f.concernId;
    if (path.startsWith("/v1/notifications/")) return f.schoolNotificationId;
    if (path.startsWith("/v1/partners/")) return "essex-edt";
    if (path.startsWith("/v1/agreements/")) return "matrix-draft";
    if (path.startsWith("/v1/audit/reviews/")) return f.reviewId;
    if (path.startsWith("/v1/breaches/")) return "brc_matrix-none";
    throw new Error(`no fixture for ${path}`);
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(name === "id" ? idFor(route.path) : (byParam[name] ?? "")),
  );
}

describe("the authorisation matrix, generated from the route table", () => {
  let hub: Hub;
  let fixtures: Fixtures;
  let isolated: { notificationId: string; concernId: string };
  let police: string;

  async function requestAs(route: RouteSpec, token: string | undefined) {
    const path = concretePath(route, fixtures);
    if (route.operationId === "submitConcern")
      return call(hub, route.method, path, { token, body: amyConcern() });
    if (route.body && !route.bodyOptional) return call(hub, route.method, path, { token, body: {} });
    return call(hub, route.method, path, { token });
  }

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
    const ig = await hub.token("essex-police-ig", "agreements:manage", "ig-1");
    const amy = ConcernReceiptSchema.parse(
      (await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() })).json,
    );
    const glass = ConcernReceiptSchema.parse(
      (
        await call(hub, "POST", "/v1/concerns", {
          token: police,
          body: amyConcern({
            concernType: "neglect_or_abuse",
            breakGlass: { justification: "Immediate risk to life: health must know tonight." },
          }),
        })
      ).json,
    );
    const other = ConcernReceiptSchema.parse(
      (await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() })).json,
    );
    const school = amy.notifications.find((n) => n.recipientId === "st-marys-primary");
    const health = glass.notifications.find((n) => n.recipientId === "essex-health");
    const otherSchool = other.notifications.find((n) => n.recipientId === "st-marys-primary");
    if (!school || !health || !otherSchool) throw new Error("the demo registry did not route as expected");
    fixtures = {
      concernId: amy.id,
      subjectId: amy.subjectId,
      schoolNotificationId: school.id,
      reviewId: health.id,
    };
    isolated = { notificationId: otherSchool.id, concernId: other.id };
    const draft = await call(hub, "POST", "/v1/agreements", {
      token: ig,
      body: {
        id: "matrix-draft",
        title: "Matrix draft",
        discloserId: "essex-police",
        // Not health: the matrix revokes this draft, and break glass never overrides a revoked
        // agreement, while the self-review check below needs a break-glass disclosure to health.
        recipientId: "essex-edt",
        purposes: ["safeguarding"],
        lawfulBasis: ["UK GDPR Art. 6(1)(e)"],
        concernTypes: ["child_in_custody"],
        dataCategories: ["identity"],
        ageRange: { min: 0, max: 17 },
        areas: ["essex"],
        validFrom: "2026-01-01T00:00:00Z",
        validTo: "2029-01-01T00:00:00Z",
        retentionDays: 30,
      },
    });
    expect(draft.status).toBe(201);
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("covers every route in the table", () => {
    expect(scoped.length + publicRoutes.length).toBe(table.length);
    expect(scoped.length).toBeGreaterThan(30);
  });

  it.each(scoped.map((r) => [label(r), r] as const))("%s: 401 without a token", async (_, route) => {
    // Act
    const response = await requestAs(route, undefined);

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it.each(scoped.map((r) => [label(r), r] as const))(
    "%s: 403 with every scope but its own",
    async (_, route) => {
      // Prepare
      const token = await hub.token(clientFor(route), allBut(route.scope), "matrix");

      // Act
      const response = await requestAs(route, token);

      // Assess
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toContain(route.scope);
    },
  );

  it.each(scoped.map((r) => [label(r), r] as const))(
    "%s: neither 401 nor 403 with its scope",
    async (_, route) => {
      // Prepare
      const token = await hub.token(clientFor(route), route.scope, "matrix");

      // Act
      const response = await requestAs(route, token);

      // Assess
      expect([401, 403]).not.toContain(response.status);
      expect(response.status).toBeLessThan(500);
    },
  );

  it.each(publicRoutes.map((r) => [label(r), r] as const))(
    "%s: public, answers without a token",
    async (_, route) => {
      // Act
      const response = await call(hub, route.method, route.path);

      // Assess
      expect(response.status).toBe(200);
    },
  );

  const owned = scoped.filter((r) => /^\/v1\/(notifications|concerns)\/\{id\}/.test(r.path));
  const strangers = ["essex-mash-portal", "essex-yos-app", "southend-mash-portal"];

  it.each(owned.map((r) => [label(r), r] as const))(
    "%s: never serves another partner's record",
    async (_, route) => {
      // Prepare
      const id = route.path.startsWith("/v1/concerns/") ? isolated.concernId : isolated.notificationId;
      const path = route.path.replace("{id}", id);
      const body =
        route.operationId === "recordOutcome"
          ? { outcome: "no_further_action", note: "not mine" }
          : undefined;

      for (const client of strangers) {
        // Act
        const token = await hub.token(client, route.scope, "stranger");
        const response = await call(hub, route.method, path, { token, ...(body ? { body } : {}) });

        // Assess
        expect({ client, status: response.status }).toEqual({
          client,
          status: expect.toSatisfy((s: number) => s === 404 || s === 403),
        });
        expect(response.text).not.toMatch(/Amy|Example|st-marys-primary/);
      }
    },
  );

  const governed = scoped.filter((r) => isGovernanceScope(r.scope));
  const readOnly = scoped.filter((r) => r.group === "registry" && !isGovernanceScope(r.scope));
  /** Registered clients of partners without `governance: true`, each holding every scope. */
  const ungoverned = ["essex-mash-portal", "st-marys-primary-app", "essex-health-app"];

  it("marks every management and audit route as governed", () => {
    expect(governed.map((r) => r.scope)).toEqual(
      expect.arrayContaining(["agreements:manage", "partners:manage", "routing:manage", "audit:read"]),
    );
    expect(governed.length).toBeGreaterThan(15);
  });

  it.each(governed.map((r) => [label(r), r] as const))(
    "%s: 403 for a non-governance partner's client, whatever its token holds",
    async (_, route) => {
      for (const client of ungoverned) {
        // Prepare
        const token = await hub.token(client, ALL_SCOPES.join(" "), "their-own-ig");

        // Act
        const response = await requestAs(route, token);

        // Assess
        expect({ client, status: response.status }).toEqual({ client, status: 403 });
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(response.json.type).toBe("https://lantern.example/problems/not-governance-partner");
      }
    },
  );

  it.each(readOnly.map((r) => [label(r), r] as const))(
    "%s: a read scope still serves a non-governance partner",
    async (_, route) => {
      // Act
      const token = await hub.token("essex-mash-portal", route.scope, "mash-reader");
      const response = await requestAs(route, token);

      // Assess
      expect(response.status).toBe(200);
    },
  );

  it("refuses a self-review with 403 and leaves the decision for another reviewer", async () => {
    // Prepare: pc-self breaks glass, then holds the review scope too.
    const officer = await hub.token("essex-police-app", "concerns:submit", "pc-self");
    const receipt = ConcernReceiptSchema.parse(
      (
        await call(hub, "POST", "/v1/concerns", {
          token: officer,
          body: amyConcern({
            concernType: "neglect_or_abuse",
            breakGlass: { justification: "Immediate risk to life: health must know tonight." },
          }),
        })
      ).json,
    );
    const reviewId = receipt.notifications.find((n) => n.recipientId === "essex-health")?.id;
    const finding = { finding: "justified", note: "Risk confirmed" };
    const path = `/v1/audit/reviews/${reviewId}`;

    // Act: the same user, from the IG client as from the police client, then someone else.
    const fromIg = await call(hub, "POST", path, {
      token: await hub.token("essex-police-ig", "audit:read audit:review", "pc-self"),
      body: finding,
    });
    const fromApp = await call(hub, "POST", path, {
      token: await hub.token("essex-police-app", "audit:review", "pc-self"),
      body: finding,
    });
    const pending = await call(hub, "GET", path, {
      token: await hub.token("essex-police-ig", "audit:read", "ig-1"),
    });
    const other = await call(hub, "POST", path, {
      token: await hub.token("essex-police-ig", "audit:review", "ig-1"),
      body: finding,
    });

    // Assess
    for (const refused of [fromIg, fromApp]) {
      expect(refused.status).toBe(403);
      expect(refused.json.type).toBe("https://lantern.example/problems/self-review");
    }
    expect(pending.json.status).toBe("pending");
    expect(other.status).toBe(200);
    expect(other.json.reviewedBy).toMatchObject({ sub: "ig-1" });
  });

  it("leaves the other partner's notification and concern as they were", async () => {
    // Act
    const school = await call(hub, "GET", `/v1/notifications/${isolated.notificationId}`, {
      token: await hub.token("st-marys-primary-app", "notifications:read", "dsl"),
    });
    const concern = await call(hub, "GET", `/v1/concerns/${isolated.concernId}`, { token: police });

    // Assess
    expect(school.status).toBe(200);
    expect(school.json.status).toBe("delivered");
    expect(school.json.outcome).toBeNull();
    expect(concern.status).toBe(200);
  });
});
