import { CompactSign, importJWK, type JWK } from "jose";
import type { CheckpointSigner } from "../../ports.js";

/**
 * Checkpoint signing with an ES256 key pair kept by the local hub. Retired public keys stay
 * published, so checkpoints signed before a rotation keep verifying.
 */
export class LocalCheckpointSigner implements CheckpointSigner {
  constructor(
    private readonly privateJwk: JWK & { kid: string },
    private readonly retiredPublicJwks: readonly JWK[] = [],
  ) {}

  async sign(payload: object): Promise<string> {
    const key = await importJWK(this.privateJwk, "ES256");
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "ES256", kid: this.privateJwk.kid, typ: "lantern-checkpoint" })
      .sign(key);
  }

  async publicKeys(): Promise<{ keys: Record<string, unknown>[] }> {
    const { d: _private, ...current } = this.privateJwk;
    return {
      keys: [{ ...current, alg: "ES256", use: "sig" }, ...this.retiredPublicJwks.map((k) => ({ ...k }))],
    };
  }
}
