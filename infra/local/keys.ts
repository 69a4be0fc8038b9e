import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/**
 * The local hub's secrets, kept in its data directory (created owner-only): the development
 * issuer's ES256 key pair and the key of the pseudonymous subject ids. Losing the subject key
 * would give every child a new id, so it is made once and never rotated here.
 */

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

function writeSecret(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
}

export async function issuerKey(dataDir: string): Promise<{ privateJwk: JWK; publicJwks: { keys: JWK[] } }> {
  ensureDir(dataDir);
  const path = join(dataDir, "issuer-key.json");
  if (!existsSync(path)) {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = `local-${randomBytes(6).toString("hex")}`;
    try {
      writeSecret(path, JSON.stringify({ ...jwk, kid, alg: "ES256", use: "sig" }));
    } catch (error: unknown) {
      // Another process (npm run token beside npm start) made it first: use theirs.
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  const privateJwk = JSON.parse(readFileSync(path, "utf8")) as JWK;
  const { d: _private, ...publicJwk } = privateJwk;
  return { privateJwk, publicJwks: { keys: [publicJwk] } };
}

export async function issuerSigningKey(privateJwk: JWK) {
  return importJWK(privateJwk, "ES256");
}

export function subjectKey(dataDir: string): string {
  return secretKey(dataDir, "subject-key");
}

/** The key that seals cursors; a new one only makes outstanding cursors invalid (400). */
export function cursorKey(dataDir: string): string {
  return secretKey(dataDir, "cursor-key");
}

function secretKey(dataDir: string, name: string): string {
  ensureDir(dataDir);
  const path = join(dataDir, name);
  if (!existsSync(path)) {
    try {
      writeSecret(path, randomBytes(32).toString("base64"));
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  return readFileSync(path, "utf8").trim();
}

/**
 * The checkpoint signing key pair (ES256), with the public halves of retired keys so old
 * checkpoints keep verifying. `rotateCheckpointKey` retires the current key and makes a new one.
 */
export async function checkpointKeys(
  dataDir: string,
): Promise<{ current: JWK & { kid: string }; retired: JWK[] }> {
  ensureDir(dataDir);
  const path = join(dataDir, "checkpoint-keys.json");
  if (!existsSync(path)) {
    try {
      writeSecret(path, JSON.stringify({ current: await newSigningKey("checkpoint"), retired: [] }));
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  return JSON.parse(readFileSync(path, "utf8")) as { current: JWK & { kid: string }; retired: JWK[] };
}

export async function rotateCheckpointKey(dataDir: string): Promise<string> {
  const { current, retired } = await checkpointKeys(dataDir);
  const { d: _private, ...publicHalf } = current;
  const next = await newSigningKey("checkpoint");
  writeFileSync(
    join(dataDir, "checkpoint-keys.json"),
    JSON.stringify({ current: next, retired: [...retired, publicHalf] }),
    { mode: 0o600 },
  );
  return next.kid;
}

async function newSigningKey(prefix: string): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `${prefix}-${randomBytes(6).toString("hex")}`, alg: "ES256", use: "sig" };
}
