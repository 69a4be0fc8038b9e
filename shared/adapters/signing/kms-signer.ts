import { createPublicKey } from "node:crypto";
import { GetPublicKeyCommand, KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { derToJose } from "../../domain/checkpoint.js";
import type { CheckpointSigner } from "../../ports.js";

// The wiring imports this module on the first signature; the client comes with it, so the
// bundle keeps only the commands named here (a dynamic import of the package keeps them all).
export { KMSClient };

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");

/**
 * Checkpoint signing with an asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256) that never
 * leaves KMS. KMS answers DER; JWS wants the fixed-width r || s form.
 */
export class KmsCheckpointSigner implements CheckpointSigner {
  private cachedKeys: Promise<{ keys: Record<string, unknown>[] }> | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    /** Keys that signed earlier checkpoints, still published for verification. */
    private readonly previousKeyIds: readonly string[] = [],
  ) {}

  async sign(payload: object): Promise<string> {
    const header = b64url(JSON.stringify({ alg: "ES256", kid: this.keyId, typ: "lantern-checkpoint" }));
    const body = b64url(JSON.stringify(payload));
    const signingInput = `${header}.${body}`;
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: new TextEncoder().encode(signingInput),
        MessageType: "RAW",
        SigningAlgorithm: "ECDSA_SHA_256",
      }),
    );
    if (!out.Signature) throw new Error("KMS returned no signature");
    return `${signingInput}.${b64url(derToJose(out.Signature))}`;
  }

  /**
   * The public keys, fetched once and kept for the life of the process. A failed fetch (KMS
   * throttled, a network blip) is not kept: the next call asks KMS again, or a warm function
   * would answer 5xx on GET /v1/audit/keys until it was recycled.
   */
  publicKeys(): Promise<{ keys: Record<string, unknown>[] }> {
    if (!this.cachedKeys) {
      const fetching = Promise.all([this.keyId, ...this.previousKeyIds].map((id) => this.jwkOf(id))).then(
        (keys) => ({ keys }),
      );
      this.cachedKeys = fetching;
      fetching.catch(() => {
        if (this.cachedKeys === fetching) this.cachedKeys = undefined;
      });
    }
    return this.cachedKeys;
  }

  private async jwkOf(keyId: string): Promise<Record<string, unknown>> {
    const out = await this.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    if (!out.PublicKey) throw new Error("KMS returned no public key");
    const jwk = createPublicKey({ key: Buffer.from(out.PublicKey), format: "der", type: "spki" }).export({
      format: "jwk",
    });
    return { ...jwk, kid: keyId, alg: "ES256", use: "sig" };
  }
}
