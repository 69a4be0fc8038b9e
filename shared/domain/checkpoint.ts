import { GENESIS_HASH, type ShardHead, sha256Hex } from "./audit.js";

/**
 * A checkpoint signs the head of every shard, and links to the checkpoint before it by the
 * SHA-256 of its compact JWS, so history can be neither rewritten nor cut short unnoticed
 * (the pattern of CloudTrail's signed digests and Certificate Transparency's tree heads).
 */
export interface CheckpointPayload {
  at: string;
  heads: ShardHead[];
  prevCheckpointSha256: string;
}

export function checkpointPayload(
  at: string,
  heads: readonly ShardHead[],
  previousJws: string | null,
): CheckpointPayload {
  return {
    at,
    heads: [...heads]
      .sort((a, b) => a.shard - b.shard)
      .map((h) => ({ shard: h.shard, seq: h.seq, hash: h.hash })),
    prevCheckpointSha256: previousJws === null ? GENESIS_HASH : sha256Hex(previousJws),
  };
}

/** Have any events arrived since a checkpoint? */
export function headsChanged(previous: CheckpointPayload | null, heads: readonly ShardHead[]): boolean {
  if (!previous) return heads.some((h) => h.seq > 0);
  return heads.some((h) => previous.heads.find((p) => p.shard === h.shard)?.seq !== h.seq);
}

/** Convert an ECDSA signature from DER (as KMS returns it) to JOSE's fixed-width r || s. */
export function derToJose(der: Uint8Array, size = 32): Uint8Array {
  let offset = 0;
  const expect = (byte: number) => {
    if (der[offset] !== byte) throw new Error("not a DER ECDSA signature");
    offset += 1;
  };
  const length = () => {
    const first = der[offset++] ?? 0;
    if (first < 0x80) return first;
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = (n << 8) | (der[offset++] ?? 0);
    return n;
  };
  expect(0x30);
  length();
  const integer = () => {
    expect(0x02);
    const len = length();
    let bytes = der.slice(offset, offset + len);
    offset += len;
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.slice(1);
    if (bytes.length > size) throw new Error("ECDSA integer too long");
    const out = new Uint8Array(size);
    out.set(bytes, size - bytes.length);
    return out;
  };
  const r = integer();
  const s = integer();
  const jose = new Uint8Array(size * 2);
  jose.set(r, 0);
  jose.set(s, size);
  return jose;
}
