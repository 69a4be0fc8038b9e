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
  const fail = (why: string): never => {
    throw new Error(`not a DER ECDSA signature: ${why}`);
  };
  const expect = (byte: number) => {
    if (der[offset] !== byte) fail(`expected tag ${byte}`);
    offset += 1;
  };
  const length = () => {
    const first = der[offset++];
    if (first === undefined) return fail("truncated");
    if (first < 0x80) return first;
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = (n << 8) | (der[offset++] ?? fail("truncated"));
    return n;
  };
  expect(0x30);
  if (length() !== der.length - offset) fail("sequence length does not match");
  const integer = () => {
    expect(0x02);
    const len = length();
    if (len === 0 || offset + len > der.length) fail("integer length does not match");
    let bytes = der.slice(offset, offset + len);
    offset += len;
    while (bytes.length > size && bytes[0] === 0) bytes = bytes.slice(1);
    if (bytes.length > size) fail("integer too long");
    const out = new Uint8Array(size);
    out.set(bytes, size - bytes.length);
    return out;
  };
  const r = integer();
  const s = integer();
  if (offset !== der.length) fail("trailing bytes");
  const jose = new Uint8Array(size * 2);
  jose.set(r, 0);
  jose.set(s, size);
  return jose;
}
