import { afterAll, describe, expect, it } from "vitest";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/** `npm start` with its embedded DynamoDB Local: stop, start again, and nothing is lost. */
describe("the embedded hub across a restart", () => {
  let hub: Hub | undefined;
  afterAll(async () => {
    await hub?.stop();
  });

  it("keeps every record and a chain that verifies", async () => {
    // Prepare
    hub = await startHub({ LANTERN_CHECKPOINT_SECONDS: "1" });
    const police = await hub.token("essex-police-app", "concerns:submit concerns:read");
    const submitted = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
    const id = submitted.json.id as string;
    // The timer signs a checkpoint within a tick of the events arriving.
    await new Promise((r) => setTimeout(r, 2500));
    const before = await call(hub, "GET", "/v1/audit/verify", {
      token: await hub.token("essex-police-ig", "audit:read"),
    });

    // Act
    const code = await hub.stop();
    hub = await startHub({
      LANTERN_DATA_DIR: hub.dataDir,
      LANTERN_TABLE_PREFIX: hub.env.LANTERN_TABLE_PREFIX,
    });

    // Assess
    expect(code).toBe(0);
    expect(hub.output()).not.toContain("loaded the demo registry");
    const concern = await call(hub, "GET", `/v1/concerns/${id}`, { token: police });
    expect(concern.status).toBe(200);
    expect(concern.json.notifications).toHaveLength(2);
    const after = await call(hub, "GET", "/v1/audit/verify", {
      token: await hub.token("essex-police-ig", "audit:read"),
    });
    expect(after.json).toMatchObject({ valid: true, eventsChecked: before.json.eventsChecked });
    expect(before.json.checkpointsChecked).toBeGreaterThanOrEqual(1);
  });
});
