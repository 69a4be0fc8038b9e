import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * A function bundles the KMS checkpoint signer and the Lambda checkpoint requester only if its
 * entry hands over their loaders; one that did not, and reaches for them, is a deployment fault
 * named on that call (never a silent fallback to another signer).
 */
const AWS_LIKE = {
  LANTERN_DATA_TABLE: "data",
  LANTERN_AUDIT_TABLE: "audit",
  LANTERN_ISSUER: "https://issuer.test.invalid",
  LANTERN_JWKS_URL: "https://issuer.test.invalid/jwks",
  LANTERN_CHECKPOINT_KMS_KEY_ID: "arn:aws:kms:eu-west-2:000000000000:key/test",
  LANTERN_CHECKPOINTER_FUNCTION: "lantern-checkpointer",
};

async function freshWiring() {
  vi.resetModules();
  for (const [name, value] of Object.entries(AWS_LIKE)) vi.stubEnv(name, value);
  return import("../../functions/wiring.js");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the wiring's KMS and Lambda loaders", () => {
  it("name the missing adapter when a function did not hand it over", async () => {
    // Prepare
    const { wired } = await freshWiring();

    // Act
    const w = wired();

    // Assess
    await expect(w.signer.publicKeys()).rejects.toThrow(
      "This function does not bundle the KMS checkpoint signer.",
    );
    await expect(w.checkpointRequester.requestCheckpoint()).rejects.toThrow(
      "This function does not bundle the Lambda checkpoint requester.",
    );
  });

  it("load the adapters a function handed over, on first use", async () => {
    // Prepare
    const wiring = await freshWiring();
    const publicKeys = vi.fn(async () => [{ kid: "k1" }]);
    const load = vi.fn(async () => ({
      KMSClient: class {},
      KmsCheckpointSigner: class {
        publicKeys = publicKeys;
      },
    }));
    wiring.signCheckpointsWith(load as never);

    // Act
    const w = wiring.wired();
    const before = load.mock.calls.length;
    const keys = await w.signer.publicKeys();

    // Assess
    expect(before).toBe(0);
    expect(keys).toEqual([{ kid: "k1" }]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
