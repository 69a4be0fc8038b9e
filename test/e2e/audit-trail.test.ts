import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyFiles } from "../../infra/local/audit-verify.js";
import {
  CheckpointListSchema,
  ConcernReceiptSchema,
  SubjectReportSchema,
  VerificationSchema,
} from "../../shared/api/schemas.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/** What an auditor does: a subject-access report, checkpoints, export and offline verification. */
describe("the audit trail over HTTP", () => {
  let hub: Hub;
  let police: string;
  let auditor: string;

  beforeAll(async () => {
    hub = await startHub({
      LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      // Checkpoints only on demand here, so the test knows which exist.
      LANTERN_CHECKPOINT_SECONDS: "3600",
    });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
    auditor = await hub.token("essex-police-ig", "audit:read audit:checkpoint", "ig-1");
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("reports every disclosure about one child, one to one with the notifications made", async () => {
    // Prepare: three concerns about Amy, one about another child.
    const receipts = [];
    for (const body of [
      amyConcern(),
      amyConcern({ concernType: "neglect_or_abuse", riskRating: "amber" }),
      amyConcern({ concernType: "missing_child", subject: { ...amyConcern().subject, lookedAfter: true } }),
      amyConcern({ subject: { ...amyConcern().subject, givenName: "Ben", dateOfBirth: "2015-06-01" } }),
    ]) {
      receipts.push(
        ConcernReceiptSchema.parse((await call(hub, "POST", "/v1/concerns", { token: police, body })).json),
      );
    }
    const amy = receipts.slice(0, 3);
    const subjectId = amy[0]?.subjectId as string;
    expect(new Set(amy.map((r) => r.subjectId))).toEqual(new Set([subjectId]));
    expect(receipts[3]?.subjectId).not.toBe(subjectId);
    const toMash = amy[0]?.notifications.find((n) => n.recipientId === "essex-mash");
    await call(hub, "GET", `/v1/notifications/${toMash?.id}`, {
      token: await hub.token("essex-mash-portal", "notifications:read"),
    });

    // Act
    const report = SubjectReportSchema.parse(
      (await call(hub, "GET", `/v1/audit/subjects/${subjectId}`, { token: auditor })).json,
    );
    const csv = await call(hub, "GET", `/v1/audit/subjects/${subjectId}`, {
      token: auditor,
      headers: { accept: "text/csv" },
    });

    // Assess
    const made = amy.flatMap((r) =>
      r.notifications.map((n) => [n.id, n.recipientId, n.dataCategories.join(",")].join("|")),
    );
    const reported = report.disclosures.map((d) =>
      [d.notificationId, d.recipientId, d.dataCategories?.join(",")].join("|"),
    );
    expect(reported.sort()).toEqual(made.sort());
    expect(report.refusals.map((r) => [r.recipientId, r.reason])).toEqual(
      amy.flatMap((r) => r.refusals.map((x) => [x.recipientId, x.reason])),
    );
    expect(report.accesses.map((a) => [a.action, a.notificationId])).toEqual([
      ["notification_opened", toMash?.id],
    ]);
    for (const d of report.disclosures) {
      expect(d.agreement).not.toBeNull();
      expect(d.lawfulBasis?.length).toBeGreaterThan(0);
      expect(d.purpose).toBe("safeguarding");
    }
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = csv.text.trim().split("\r\n");
    expect(rows[0]).toBe(
      "at,action,recipientId,dataCategories,agreement,purpose,lawfulBasis,reason,concernId,notificationId,actorPartnerId,payloadSha256",
    );
    expect(rows).toHaveLength(
      1 + report.disclosures.length + report.refusals.length + report.accesses.length,
    );
    expect(csv.text).not.toMatch(/Amy|Example/);
  });

  it("signs checkpoints, and the offline verifier agrees with the endpoint", async () => {
    const created = await call(hub, "POST", "/v1/audit/checkpoints", { token: auditor });
    const forbidden = await call(hub, "POST", "/v1/audit/checkpoints", {
      token: await hub.token("essex-police-ig", "audit:read"),
    });
    const checkpoints = CheckpointListSchema.parse(
      (await call(hub, "GET", "/v1/audit/checkpoints", { token: auditor })).json,
    );
    const keys = await call(hub, "GET", "/v1/audit/keys");
    const exported = await call(hub, "GET", "/v1/audit/export", { token: auditor });
    const endpoint = VerificationSchema.parse(
      (await call(hub, "GET", "/v1/audit/verify", { token: auditor })).json,
    );

    expect(created.status).toBe(201);
    expect(forbidden.status).toBe(403);
    expect(checkpoints.checkpoints.at(-1)).toBe(created.json.checkpoint);
    const dir = mkdtempSync(join(tmpdir(), "lantern-audit-"));
    const files = {
      events: join(dir, "trail.ndjson"),
      checkpoints: join(dir, "checkpoints.json"),
      keys: join(dir, "keys.json"),
    };
    writeFileSync(files.events, exported.text);
    writeFileSync(files.checkpoints, JSON.stringify(checkpoints));
    writeFileSync(files.keys, keys.text);
    const offline = await verifyFiles(files);
    expect(endpoint.valid).toBe(true);
    expect(offline.valid).toBe(true);
    expect(
      offline.checkpointsChecked,
      JSON.stringify({ listed: checkpoints.checkpoints.length, endpoint }),
    ).toBe(endpoint.checkpointsChecked);
    // Same data: the export (and its own audit_exported event) came before the endpoint's check.
    expect(offline.eventsChecked).toBe(endpoint.eventsChecked);

    const cli = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "infra/local/audit-verify.ts",
        "--events",
        files.events,
        "--checkpoints",
        files.checkpoints,
        "--keys",
        files.keys,
      ],
      { encoding: "utf8" },
    );
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^valid: \d+ events, \d+ checkpoints/);

    const lines = exported.text.trim().split("\n");
    const tampered = [...lines];
    const victim = JSON.parse(tampered[3] as string);
    tampered[3] = JSON.stringify({ ...victim, recipientId: "someone-else" });
    writeFileSync(files.events, `${tampered.join("\n")}\n`);
    const broken = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "infra/local/audit-verify.ts",
        "--events",
        files.events,
        "--checkpoints",
        files.checkpoints,
        "--keys",
        files.keys,
      ],
      { encoding: "utf8" },
    );
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`shard ${victim.shard} seq ${victim.seq}: hash_mismatch`);
  });

  it("exports disclosures as FHIR AuditEvents shaped as IHE BALP PrivacyDisclosure", async () => {
    const fhir = await call(hub, "GET", "/v1/audit/export?format=fhir", { token: auditor });
    expect(fhir.headers.get("content-type")).toBe("application/fhir+ndjson");
    const resources = fhir.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      expect(r).toMatchObject({
        resourceType: "AuditEvent",
        type: { code: "110106" },
        subtype: [{ code: "disclose" }],
      });
    }
    expect(fhir.text).not.toMatch(/Amy|Example/);
  });

  it("verifies incrementally from a checkpoint", async () => {
    const checkpoints = CheckpointListSchema.parse(
      (await call(hub, "GET", "/v1/audit/checkpoints", { token: auditor })).json,
    );
    const since = checkpoints.checkpoints.length;
    await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
    const incremental = VerificationSchema.parse(
      (await call(hub, "GET", `/v1/audit/verify?since=${since}`, { token: auditor })).json,
    );
    const full = VerificationSchema.parse(
      (await call(hub, "GET", "/v1/audit/verify", { token: auditor })).json,
    );
    expect(incremental.valid).toBe(true);
    expect(incremental.eventsChecked).toBeLessThan(full.eventsChecked);
    const unknown = await call(hub, "GET", "/v1/audit/verify?since=999999", { token: auditor });
    expect(unknown.status).toBe(400);
  });
});
