import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { LocalCheckpointSigner } from "../../shared/adapters/signing/local-signer.js";
import { chain } from "../../shared/domain/audit.js";
import { checkpointPayload } from "../../shared/domain/checkpoint.js";
import { verifyAudit } from "../../shared/domain/verify.js";
import { fixedDraft, fixedShard, headAt } from "../support/audit-trail.js";

async function signer() {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return new LocalCheckpointSigner({ ...(await exportJWK(privateKey)), kid: "k1" });
}

describe("verifying a stream of events", () => {
  it("names every checkpoint that signed a head a fork rewrote, even when two signed the same head", async () => {
    // Prepare: shard 0 is quiet between two checkpoints, so both sign its seq 3.
    const s = await signer();
    const events = fixedShard(0, 3);
    const first = await s.sign(checkpointPayload("2026-11-24T00:00:00.000Z", [headAt(events, 3)], null));
    const second = await s.sign(checkpointPayload("2026-11-24T00:01:00.000Z", [headAt(events, 3)], first));
    const [rewritten] = chain([fixedDraft(999)], headAt(events, 2));
    if (!rewritten) throw new Error("no event");

    // Act
    const result = await verifyAudit({
      events: [...events.slice(0, 2), rewritten],
      checkpoints: [first, second],
      keys: await s.publicKeys(),
    });

    // Assess
    expect(result.problems.map((p) => [p.shard, p.seq, p.problem, p.checkpoint])).toEqual([
      [0, 3, "checkpoint_mismatch", 1],
      [0, 3, "checkpoint_mismatch", 2],
    ]);
  });

  it("reads events from an async source, one at a time", async () => {
    const s = await signer();
    const events = [...fixedShard(0, 50), ...fixedShard(1, 50)];
    async function* source() {
      for (const e of events) yield e;
    }
    const checkpoint = await s.sign(
      checkpointPayload(
        "2026-11-24T00:00:00.000Z",
        [headAt(events.slice(0, 50), 50), headAt(events.slice(50), 50)],
        null,
      ),
    );

    const result = await verifyAudit({
      events: source(),
      checkpoints: [checkpoint],
      keys: await s.publicKeys(),
      shards: 2,
    });

    expect(result).toMatchObject({ valid: true, eventsChecked: 100, checkpointsChecked: 1 });
  });
});
