import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import { GetPublicKeyCommand, KMSClient, SignCommand, type SignCommandInput } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { compactVerify, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { KmsCheckpointSigner } from "../../shared/adapters/signing/kms-signer.js";
import { LocalCheckpointSigner } from "../../shared/adapters/signing/local-signer.js";
import { GENESIS_HASH } from "../../shared/domain/audit.js";
import { checkpointPayload, derToJose } from "../../shared/domain/checkpoint.js";
import { verifyAudit } from "../../shared/domain/verify.js";
import { fixedShard, headAt, itemAt } from "../support/audit-trail.js";

/** SHA-256 written with nothing but node:crypto, independently of the code under test. */
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A fixed ES256 key pair, generated once with jose and pasted here. */
const GOLDEN_PRIVATE_JWK = {
  kty: "EC",
  crv: "P-256",
  x: "hDxqMSfSOWT5RWogDUzkmAm849qyvOM6rw7iG6lzd8s",
  y: "4hPScScKElAqq1-kvzJ977S6F5l-JyaXFytJ8umBe3c",
  d: "DFbL7HnsMoT5Vrh4KDzFBS0E2NVPKAfvyqCJYNcYfAw",
  kid: "golden-2026",
};
const GOLDEN_PUBLIC_JWK = {
  kty: "EC",
  crv: "P-256",
  x: "hDxqMSfSOWT5RWogDUzkmAm849qyvOM6rw7iG6lzd8s",
  y: "4hPScScKElAqq1-kvzJ977S6F5l-JyaXFytJ8umBe3c",
  kid: "golden-2026",
  alg: "ES256",
  use: "sig",
};
const GOLDEN_AT = "2026-11-24T00:00:00.000Z";
/** The heads of fixedShard(0, 3) and fixedShard(1, 2), given out of shard order on purpose. */
const GOLDEN_HEADS = [
  { shard: 1, seq: 2, hash: "5e9f5cb95ccdc6b30a72aae8aac04e149e3b96628e539aae4b181d72bf48ed32" },
  { shard: 0, seq: 3, hash: "6790315403a57c9448a2aff5717a5dab5d8034a3e91d50b1e9203fabd1db96b5" },
];
/** checkpointPayload(GOLDEN_AT, GOLDEN_HEADS, null) signed once with the golden key. */
const GOLDEN_JWS =
  "eyJhbGciOiJFUzI1NiIsImtpZCI6ImdvbGRlbi0yMDI2IiwidHlwIjoibGFudGVybi1jaGVja3BvaW50In0." +
  "eyJhdCI6IjIwMjYtMTEtMjRUMDA6MDA6MDAuMDAwWiIsImhlYWRzIjpbeyJzaGFyZCI6MCwic2VxIjozLCJoYXNoIjoiNjc5" +
  "MDMxNTQwM2E1N2M5NDQ4YTJhZmY1NzE3YTVkYWI1ZDgwMzRhM2U5MWQ1MGIxZTkyMDNmYWJkMWRiOTZiNSJ9LHsic2hhcmQi" +
  "OjEsInNlcSI6MiwiaGFzaCI6IjVlOWY1Y2I5NWNjZGM2YjMwYTcyYWFlOGFhYzA0ZTE0OWUzYjk2NjI4ZTUzOWFhZTRiMTgx" +
  "ZDcyYmY0OGVkMzIifV0sInByZXZDaGVja3BvaW50U2hhMjU2IjoiMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw" +
  "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCJ9" +
  ".R5NyOnIl_AdfJcHB26-xGxO5KFi8_pvofuBiYCITVLM8KAw8zGhjeDIJ6JsiwLvAqqgtnhYVtfAy50Udc2TIdg";
/** The SHA-256 hex of GOLDEN_JWS, computed once and pasted. */
const GOLDEN_JWS_SHA256 = "2d7d2ca64b41506ed99c541108fcecd26a283ecdfdb274f267ff462b4e7e4df7";

const goldenKeys = { keys: [GOLDEN_PUBLIC_JWK] };
const goldenSigner = () => new LocalCheckpointSigner(GOLDEN_PRIVATE_JWK);

async function freshPrivateJwk(kid: string): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

describe("the checkpoint signature golden vector", () => {
  it("verifies with the literal public key and carries the fixed heads in shard order", async () => {
    // Prepare
    const key = await importJWK(GOLDEN_PUBLIC_JWK, "ES256");

    // Act
    const { payload, protectedHeader } = await compactVerify(GOLDEN_JWS, key, { algorithms: ["ES256"] });

    // Assess
    expect(protectedHeader).toEqual({ alg: "ES256", kid: "golden-2026", typ: "lantern-checkpoint" });
    const text = new TextDecoder().decode(payload);
    expect(text).toBe(JSON.stringify(checkpointPayload(GOLDEN_AT, GOLDEN_HEADS, null)));
    expect(JSON.parse(text)).toEqual({
      at: GOLDEN_AT,
      heads: [itemAt(GOLDEN_HEADS, 1), itemAt(GOLDEN_HEADS, 0)],
      prevCheckpointSha256: GENESIS_HASH,
    });
  });

  it("verifies with nothing but node:crypto (ES256 = ECDSA P-256 SHA-256, r || s)", () => {
    // Prepare
    const [header = "", body = "", signature = ""] = GOLDEN_JWS.split(".");
    const key = createPublicKey({ key: GOLDEN_PUBLIC_JWK, format: "jwk" });

    // Act
    const ok = nodeVerify(
      "sha256",
      Buffer.from(`${header}.${body}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );

    // Assess
    expect(ok).toBe(true);
  });

  it("is accepted by verifyAudit over the events whose heads it signed", async () => {
    // Prepare
    const shard0 = fixedShard(0, 3);
    const shard1 = fixedShard(1, 2);
    expect([headAt(shard1, 2), headAt(shard0, 3)]).toEqual(GOLDEN_HEADS);

    // Act
    const result = await verifyAudit({
      events: [...shard0, ...shard1],
      checkpoints: [GOLDEN_JWS],
      keys: goldenKeys,
      shards: 2,
    });

    // Assess
    expect(result).toEqual({ valid: true, eventsChecked: 5, checkpointsChecked: 1, problems: [] });
  });

  it("links the next checkpoint by the SHA-256 hex of the literal JWS string", async () => {
    // Prepare
    const shard0 = fixedShard(0, 4);
    const shard1 = fixedShard(1, 2);
    const heads = [headAt(shard0, 4), headAt(shard1, 2)];

    // Act
    const next = checkpointPayload("2026-11-24T00:01:00.000Z", heads, GOLDEN_JWS);
    const nextJws = await goldenSigner().sign(next);

    // Assess
    expect(sha256(GOLDEN_JWS)).toBe(GOLDEN_JWS_SHA256);
    expect(next.prevCheckpointSha256).toBe(GOLDEN_JWS_SHA256);
    const result = await verifyAudit({
      events: [...shard0, ...shard1],
      checkpoints: [GOLDEN_JWS, nextJws],
      keys: goldenKeys,
      shards: 2,
    });
    expect(result.problems).toEqual([]);
    expect(result.checkpointsChecked).toBe(2);
  });

  it("is refused when one character of its payload or signature changes", async () => {
    // Prepare
    const [header = "", body = "", signature = ""] = GOLDEN_JWS.split(".");
    const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === "A" ? "B" : "A"}${s.slice(i + 1)}`;
    const altered = [`${header}.${flip(body, 40)}.${signature}`, `${header}.${body}.${flip(signature, 10)}`];

    // Act
    const results = await Promise.all(
      altered.map((jws) => verifyAudit({ events: [], checkpoints: [jws], keys: goldenKeys })),
    );

    // Assess
    for (const result of results) {
      expect(result.valid).toBe(false);
      expect(result.problems).toContainEqual(
        expect.objectContaining({ problem: "checkpoint_signature_invalid", checkpoint: 1 }),
      );
    }
  });
});

describe("LocalCheckpointSigner", () => {
  it("signs an ES256 compact JWS under its kid and publishes only the public half", async () => {
    // Prepare
    const signer = goldenSigner();
    const payload = checkpointPayload(GOLDEN_AT, GOLDEN_HEADS, null);

    // Act
    const jws = await signer.sign(payload);
    const published = await signer.publicKeys();

    // Assess
    expect(jws.split(".")).toHaveLength(3);
    expect(published.keys).toEqual([GOLDEN_PUBLIC_JWK]);
    for (const key of published.keys) expect(key).not.toHaveProperty("d");
    const verified = await compactVerify(jws, createLocalJWKSet(published as { keys: JWK[] }));
    expect(verified.protectedHeader.kid).toBe("golden-2026");
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);
  });

  it("keeps checkpoints signed before a rotation verifiable through the retired public key", async () => {
    // Prepare
    const oldSigner = goldenSigner();
    const shard0 = fixedShard(0, 5);
    const first = await oldSigner.sign(checkpointPayload(GOLDEN_AT, [headAt(shard0, 2)], null));
    const retired = (await oldSigner.publicKeys()).keys;
    const newSigner = new LocalCheckpointSigner(await freshPrivateJwk("rotated-2027"), retired);

    // Act
    const second = await newSigner.sign(checkpointPayload(GOLDEN_AT, [headAt(shard0, 5)], first));
    const keys = (await newSigner.publicKeys()) as { keys: JWK[] };
    const result = await verifyAudit({ events: shard0, checkpoints: [first, second], keys, shards: 1 });

    // Assess
    expect(keys.keys.map((k) => k.kid)).toEqual(["rotated-2027", "golden-2026"]);
    for (const key of keys.keys) expect(key).not.toHaveProperty("d");
    expect(result).toEqual({ valid: true, eventsChecked: 5, checkpointsChecked: 2, problems: [] });
  });

  it("does not verify the old checkpoints once the retired key is no longer published", async () => {
    // Prepare
    const shard0 = fixedShard(0, 2);
    const first = await goldenSigner().sign(checkpointPayload(GOLDEN_AT, [headAt(shard0, 2)], null));
    const forgetful = new LocalCheckpointSigner(await freshPrivateJwk("rotated-2027"));

    // Act
    const keys = (await forgetful.publicKeys()) as { keys: JWK[] };
    const result = await verifyAudit({ events: shard0, checkpoints: [first], keys, shards: 1 });

    // Assess
    expect(result.problems.map((p) => [p.problem, p.checkpoint])).toEqual([
      ["checkpoint_signature_invalid", 1],
    ]);
  });
});

/** The lengths of r and s in a DER ECDSA signature of P-256 (short-form lengths only). */
function derIntegerLengths(der: Uint8Array): [number, number] {
  const rLength = der[3] ?? 0;
  return [rLength, der[5 + rLength] ?? 0];
}

describe("derToJose", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

  it("converts 2,000 node:crypto DER signatures, short and zero-padded integers included", () => {
    // Prepare
    const lengths = new Set<number>();
    let failures = 0;

    // Act
    for (let i = 0; i < 2000; i++) {
      const data = Buffer.from(`checkpoint ${i}`);
      const der = nodeSign("sha256", data, { key: privateKey, dsaEncoding: "der" });
      for (const length of derIntegerLengths(der)) lengths.add(length);
      const jose = derToJose(der);
      const ok =
        jose.length === 64 && nodeVerify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, jose);
      if (!ok) failures += 1;
    }

    // Assess
    expect(failures).toBe(0);
    expect(lengths.has(33)).toBe(true);
    expect([...lengths].some((l) => l < 32)).toBe(true);
  });

  it("reads a long-form DER length", () => {
    // Prepare
    const data = Buffer.from("long form");
    const der = nodeSign("sha256", data, { key: privateKey, dsaEncoding: "der" });
    const longForm = Buffer.concat([Buffer.from([0x30, 0x81, der[1] ?? 0]), der.subarray(2)]);

    // Act
    const jose = derToJose(longForm);

    // Assess
    expect(Buffer.from(jose)).toEqual(Buffer.from(derToJose(der)));
    expect(nodeVerify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, jose)).toBe(true);
  });

  it("refuses input that is not a DER ECDSA signature", () => {
    // Prepare
    const der = nodeSign("sha256", Buffer.from("x"), { key: privateKey, dsaEncoding: "der" });
    const rLength = der[3] ?? 0;
    const tooLong = Buffer.from([0x30, 0x26, 0x02, 0x21, ...Buffer.alloc(33, 0x7f), 0x02, 0x01, 0x01]);
    const malformed = [
      Buffer.alloc(0),
      Buffer.from([0x31, ...der.subarray(1)]),
      Buffer.from([0x30, der[1] ?? 0, 0x03, ...der.subarray(3)]),
      der.subarray(0, 4 + rLength - 5),
      Buffer.from("not a signature at all"),
    ];

    // Act
    const outcomes = malformed.map((input) => () => derToJose(input));

    // Assess
    for (const outcome of outcomes) expect(outcome).toThrow(/DER ECDSA/);
    expect(() => derToJose(tooLong)).toThrow(/too long/);
  });
  it("refuses a DER signature whose lengths do not match its bytes", () => {
    // Prepare: a KMS answer cut short inside s, one with bytes after it, and one whose
    // SEQUENCE length is wrong. Each would otherwise become a checkpoint that never verifies.
    const der = nodeSign("sha256", Buffer.from("y"), { key: privateKey, dsaEncoding: "der" });
    const wrongLength = Buffer.from(der);
    wrongLength[1] = (der[1] ?? 0) - 4;
    const malformed = [
      der.subarray(0, der.length - 3),
      Buffer.concat([der, Buffer.from([0, 1, 2])]),
      wrongLength,
    ];

    // Act
    const outcomes = malformed.map((input) => () => derToJose(input));

    // Assess
    for (const outcome of outcomes) expect(outcome).toThrow();
  });
});

describe("KmsCheckpointSigner", () => {
  const kms = mockClient(KMSClient);
  const KEY_ID = "arn:aws:kms:eu-west-2:111122223333:key/0a1b2c3d-current";
  const OLD_KEY_ID = "arn:aws:kms:eu-west-2:111122223333:key/9f8e7d6c-previous";
  const keys = new Map<string, KeyObject>([
    [KEY_ID, generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey],
    [OLD_KEY_ID, generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey],
  ]);
  const keyOf = (id: string | undefined) => {
    const key = keys.get(id ?? "");
    if (!key) throw new Error(`no such KMS key ${id}`);
    return key;
  };

  beforeEach(() => {
    kms.reset();
    kms.on(SignCommand).callsFake((input: SignCommandInput) => ({
      KeyId: input.KeyId,
      SigningAlgorithm: "ECDSA_SHA_256",
      Signature: new Uint8Array(
        nodeSign("sha256", Buffer.from(input.Message ?? []), { key: keyOf(input.KeyId), dsaEncoding: "der" }),
      ),
    }));
    kms.on(GetPublicKeyCommand).callsFake((input: { KeyId?: string }) => ({
      KeyId: input.KeyId,
      KeySpec: "ECC_NIST_P256",
      PublicKey: new Uint8Array(createPublicKey(keyOf(input.KeyId)).export({ format: "der", type: "spki" })),
    }));
  });
  afterAll(() => {
    kms.restore();
  });

  it("signs the exact JWS signing input in KMS and answers a JWS that verifies against publicKeys()", async () => {
    // Prepare
    const signer = new KmsCheckpointSigner(new KMSClient({ region: "eu-west-2" }), KEY_ID);
    const payload = checkpointPayload(GOLDEN_AT, GOLDEN_HEADS, null);

    // Act
    const jws = await signer.sign(payload);
    const published = (await signer.publicKeys()) as { keys: JWK[] };

    // Assess
    const verified = await compactVerify(jws, createLocalJWKSet(published), { algorithms: ["ES256"] });
    expect(verified.protectedHeader).toEqual({ alg: "ES256", kid: KEY_ID, typ: "lantern-checkpoint" });
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);
    expect(published.keys).toEqual([expect.objectContaining({ kid: KEY_ID, alg: "ES256", crv: "P-256" })]);
    const [call] = kms.commandCalls(SignCommand);
    const input = call?.args[0].input;
    expect(input).toMatchObject({ KeyId: KEY_ID, MessageType: "RAW", SigningAlgorithm: "ECDSA_SHA_256" });
    const signingInput = jws.split(".").slice(0, 2).join(".");
    expect(Buffer.from(input?.Message ?? []).toString("utf8")).toBe(signingInput);
  });

  it("publishes the previous key too, fetched once, so checkpoints from before a rotation verify", async () => {
    // Prepare
    const client = new KMSClient({ region: "eu-west-2" });
    const shard0 = fixedShard(0, 4);
    const first = await new KmsCheckpointSigner(client, OLD_KEY_ID).sign(
      checkpointPayload(GOLDEN_AT, [headAt(shard0, 2)], null),
    );
    const signer = new KmsCheckpointSigner(client, KEY_ID, [OLD_KEY_ID]);
    const second = await signer.sign(checkpointPayload(GOLDEN_AT, [headAt(shard0, 4)], first));

    // Act
    const published = (await signer.publicKeys()) as { keys: JWK[] };
    await signer.publicKeys();
    const result = await verifyAudit({
      events: shard0,
      checkpoints: [first, second],
      keys: published,
      shards: 1,
    });

    // Assess
    expect(published.keys.map((k) => k.kid)).toEqual([KEY_ID, OLD_KEY_ID]);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2);
    expect(result).toEqual({ valid: true, eventsChecked: 4, checkpointsChecked: 2, problems: [] });
  });

  it("fails rather than emit a checkpoint when KMS answers no signature", async () => {
    // Prepare
    kms.on(SignCommand).resolves({ KeyId: KEY_ID });
    const signer = new KmsCheckpointSigner(new KMSClient({ region: "eu-west-2" }), KEY_ID);

    // Act
    const attempt = signer.sign(checkpointPayload(GOLDEN_AT, GOLDEN_HEADS, null));

    // Assess
    await expect(attempt).rejects.toThrow("KMS returned no signature");
  });
});
