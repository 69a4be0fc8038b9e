import { createPublicKey, generateKeyPairSync } from "node:crypto";
import {
  DependencyTimeoutException,
  GetPublicKeyCommand,
  KMSClient,
  KMSInternalException,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { KmsCheckpointSigner } from "../../shared/adapters/signing/kms-signer.js";

/** A failed public-key fetch is retried on the next call, not cached for the life of the process. */
describe("KmsCheckpointSigner after a KMS failure", () => {
  const kms = mockClient(KMSClient);
  const KEY_ID = "arn:aws:kms:eu-west-2:111122223333:key/0a1b2c3d-current";
  const OLD_KEY_ID = "arn:aws:kms:eu-west-2:111122223333:key/9f8e7d6c-previous";
  const der = () =>
    new Uint8Array(
      createPublicKey(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey).export({
        format: "der",
        type: "spki",
      }),
    );
  const throttled = new DependencyTimeoutException({ message: "KMS timed out", $metadata: {} });

  beforeEach(() => {
    kms.reset();
  });
  afterAll(() => {
    kms.restore();
  });

  it("asks KMS again after a rejected fetch, then keeps the keys it got", async () => {
    // Prepare: the first fetch times out, every later one answers.
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(throttled)
      .resolves({ KeyId: KEY_ID, KeySpec: "ECC_NIST_P256", PublicKey: der() });
    const signer = new KmsCheckpointSigner(new KMSClient({ region: "eu-west-2", maxAttempts: 1 }), KEY_ID);

    // Act
    const first = await signer.publicKeys().then(
      () => "resolved",
      (error: unknown) => error,
    );
    const second = await signer.publicKeys();
    const third = await signer.publicKeys();

    // Assess
    expect(first).toBeInstanceOf(DependencyTimeoutException);
    expect(second.keys).toEqual([expect.objectContaining({ kid: KEY_ID, alg: "ES256", crv: "P-256" })]);
    expect(third).toBe(second);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2);
  });

  it("retries when only a previous key's fetch failed, and callers waiting together share one fetch", async () => {
    // Prepare
    let oldKeyCalls = 0;
    kms.on(GetPublicKeyCommand).callsFake((input: { KeyId?: string }) => {
      if (input.KeyId === OLD_KEY_ID && ++oldKeyCalls === 1)
        throw new KMSInternalException({ message: "internal", $metadata: {} });
      return { KeyId: input.KeyId, KeySpec: "ECC_NIST_P256", PublicKey: der() };
    });
    const signer = new KmsCheckpointSigner(new KMSClient({ region: "eu-west-2", maxAttempts: 1 }), KEY_ID, [
      OLD_KEY_ID,
    ]);

    // Act: two callers at once see the same failure; the next call succeeds.
    const together = await Promise.allSettled([signer.publicKeys(), signer.publicKeys()]);
    const later = await signer.publicKeys();

    // Assess
    expect(together.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(later.keys.map((k) => k.kid)).toEqual([KEY_ID, OLD_KEY_ID]);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(4);
  });
});
