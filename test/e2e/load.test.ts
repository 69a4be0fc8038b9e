import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema } from "../../shared/api/schemas.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * 100 concurrent submissions against one hub: every one 201 (the hub's writers queue per audit
 * shard instead of racing for its seq, so none runs out of retries and answers 503), the chain
 * verifies, and every notification has exactly one disclosure event.
 */

const CONCURRENT = 100;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

describe("100 concurrent submissions", () => {
  let hub: Hub;
  let police: string;
  let auditor: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    police = await hub.token("essex-police-app", "concerns:submit", "pc-load");
    auditor = await hub.token("essex-police-ig", "audit:read", "ig-load");
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("answers every one, and discloses exactly what the receipts say", async () => {
    // Prepare
    const bodies = Array.from({ length: CONCURRENT }, (_, i) =>
      amyConcern({
        subject: { ...amyConcern().subject, givenName: `Child${i}` },
        riskRating: (["red", "amber", "green"] as const)[i % 3],
      }),
    );

    // Act
    const started = performance.now();
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const t0 = performance.now();
        const response = await call(hub, "POST", "/v1/concerns", { token: police, body });
        return { response, ms: performance.now() - t0 };
      }),
    );
    const wall = performance.now() - started;

    // Assess: answered
    const accepted = answers.filter((a) => a.response.status === 201);
    const busy = answers.filter((a) => a.response.status === 503);
    // What any other answer said (problem details, no personal data), so a failure names its cause.
    const others = answers.filter((a) => a.response.status !== 201);
    expect(others.map((a) => `${a.response.status} ${a.response.json?.detail ?? a.response.text}`)).toEqual(
      [],
    );
    const latencies = answers.map((a) => a.ms).sort((x, y) => x - y);
    console.log(
      `load: ${CONCURRENT} concurrent submissions in ${wall.toFixed(0)} ms; ${accepted.length} × 201, ${busy.length} × 503; ` +
        `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    );

    // Assess: the chain, and one disclosure event per notification
    const receipts = accepted.map((a) => ConcernReceiptSchema.parse(a.response.json));
    const ours = new Set(receipts.map((r) => r.id));
    expect(ours.size).toBe(accepted.length);
    const verify = await call(hub, "GET", "/v1/audit/verify", { token: auditor });
    expect(verify.json.problems).toEqual([]);
    expect(verify.json.valid).toBe(true);
    const events = (await call(hub, "GET", "/v1/audit/export", { token: auditor })).text
      .split("\n")
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { action: string; concernId: string | null; notificationId: string | null },
      );
    const disclosures = events.filter((e) => e.action === "disclosure");
    const notified = receipts.flatMap((r) => r.notifications.map((n) => n.id));
    expect(disclosures.filter((e) => e.concernId !== null && ours.has(e.concernId))).toHaveLength(
      notified.length,
    );
    // Nothing else was disclosed.
    expect(disclosures).toHaveLength(notified.length);
    expect(new Set(disclosures.map((e) => e.notificationId))).toEqual(new Set(notified));
  });
});
