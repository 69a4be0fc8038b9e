import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { mintToken } from "../../infra/local/token.js";
import { ConcernReceiptSchema, NotificationSchema } from "../../shared/api/schemas.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Retention over HTTP: the school's agreement keeps a disclosure one day. A hub whose clock
 * is two days ahead (libfaketime), on the same store, erases it within one sweep, leaves a
 * younger one intact, and the exported trail still verifies offline.
 */

const SWEEP_SECONDS = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("retention over HTTP, with the hub's clock moved", () => {
  const hubs: Hub[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
  });

  it("erases the payload past retainUntil within one sweep, once, keeps a younger one, and the trail verifies", async () => {
    // Prepare: a one-day version of the school's agreement, and a concern disclosed under it today.
    const store = inject("dynamoEndpoint");
    const today = await startHub({ LANTERN_DYNAMODB_ENDPOINT: store, LANTERN_SWEEP_SECONDS: "3600" });
    hubs.push(today);
    // Valid for three days from now, so the hub two days ahead still accepts them.
    const token = (clientId: string, scope: string, sub: string) =>
      mintToken({ dataDir: today.dataDir, clientId, scope, sub, ttlSeconds: 3 * 86_400 });
    const ig = await token(
      "essex-police-ig",
      "agreements:read agreements:manage audit:read audit:checkpoint",
      "ig-1",
    );
    const police = await token("essex-police-app", "concerns:submit concerns:read", "pc-1");
    const school = await token("st-marys-primary-app", "notifications:read notifications:respond", "dsl-1");
    const current = (await call(today, "GET", "/v1/agreements/encompass-st-marys", { token: ig })).json as {
      title: string;
      versions: Record<string, unknown>[];
    };
    const v1 = current.versions[0] as Record<string, unknown>;
    const terms = Object.fromEntries(
      [
        "purposes",
        "lawfulBasis",
        "concernTypes",
        "dataCategories",
        "ageRange",
        "areas",
        "validFrom",
        "validTo",
      ].map((k) => [k, v1[k]]),
    );
    const drafted = await call(today, "POST", "/v1/agreements/encompass-st-marys/versions", {
      token: ig,
      body: { title: current.title, ...terms, retentionDays: 1 },
    });
    expect(drafted.status).toBe(201);
    expect(
      (await call(today, "POST", "/v1/agreements/encompass-st-marys/versions/2/activate", { token: ig }))
        .status,
    ).toBe(200);
    const schoolNotification = async (hub: Hub) => {
      const response = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
      expect(response.status).toBe(201);
      const n = ConcernReceiptSchema.parse(response.json).notifications.find(
        (x) => x.recipientId === "st-marys-primary",
      );
      if (!n) throw new Error("the school was not told");
      return n.id;
    };
    const old = await schoolNotification(today);
    const before = NotificationSchema.parse(
      (await call(today, "GET", `/v1/notifications/${old}`, { token: school })).json,
    );
    expect(before.payload).not.toBeNull();
    await today.stop();

    // Act: the same hub (data, tables, store) two days later; a younger disclosure made then.
    const later = await startHub(
      {
        LANTERN_DYNAMODB_ENDPOINT: store,
        LANTERN_DATA_DIR: today.dataDir,
        LANTERN_TABLE_PREFIX: today.env.LANTERN_TABLE_PREFIX,
        LANTERN_SWEEP_SECONDS: String(SWEEP_SECONDS),
      },
      { faketime: "+2d" },
    );
    hubs.push(later);
    const young = await schoolNotification(later);
    await sleep(SWEEP_SECONDS * 1000 * 2 + 500); // the first sweep, with room for a busy machine

    // Assess: the old one erased, with one content_erased event; the young one intact.
    const erased = await call(later, "GET", `/v1/notifications/${old}`, { token: school });
    expect(erased.status).toBe(200);
    const erasedView = NotificationSchema.parse(erased.json);
    expect(erasedView.payload).toBeNull();
    expect(erasedView.erasedAt).not.toBeNull();
    expect(Date.parse(erasedView.erasedAt as string)).toBeGreaterThan(
      Date.parse(before.retainUntil as string),
    );
    const kept = NotificationSchema.parse(
      (await call(later, "GET", `/v1/notifications/${young}`, { token: school })).json,
    );
    expect(kept.payload).not.toBeNull();
    expect(kept.erasedAt).toBeNull();
    const trail = await call(later, "GET", "/v1/audit/events?action=content_erased&limit=100", { token: ig });
    const erasures = (trail.json.items as AuditEvent[]).filter((e) => e.target?.kind === "notification");
    expect(erasures.map((e) => e.target)).toEqual([{ kind: "notification", id: old }]);
    // The subject-access report lists the erasure.
    const subjectId = erasures[0]?.subjectId as string;
    const report = await call(later, "GET", `/v1/audit/subjects/${subjectId}`, { token: ig });
    expect(report.status).toBe(200);
    const reported = report.json.erasures as { action: string; notificationId: string | null }[];
    expect(reported.map((e) => [e.action, e.notificationId])).toEqual([["content_erased", old]]);

    // The exported trail verifies with the offline verifier.
    expect((await call(later, "POST", "/v1/audit/checkpoints", { token: ig })).status).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), "lantern-retention-"));
    const files = {
      events: join(dir, "trail.ndjson"),
      checkpoints: join(dir, "checkpoints.json"),
      keys: join(dir, "keys.json"),
    };
    writeFileSync(files.events, (await call(later, "GET", "/v1/audit/export", { token: ig })).text);
    writeFileSync(files.checkpoints, (await call(later, "GET", "/v1/audit/checkpoints", { token: ig })).text);
    writeFileSync(files.keys, (await call(later, "GET", "/v1/audit/keys")).text);
    const verified = spawnSync(
      "npm",
      [
        "run",
        "-s",
        "audit:verify",
        "--",
        "--events",
        files.events,
        "--checkpoints",
        files.checkpoints,
        "--keys",
        files.keys,
      ],
      { encoding: "utf8" },
    );
    expect(verified.stdout).toMatch(/^valid: \d+ events, \d+ checkpoints/);
    expect(verified.status).toBe(0);
  }, 120_000);
});
