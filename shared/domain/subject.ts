import { createHmac } from "node:crypto";

/**
 * Names are compared the way a person would: case, accents, spacing and punctuation do not
 * make a different child ("Zoë O'Brien" and "zoe obrien" are the same).
 */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * The hub's stable pseudonymous id for a child: a keyed HMAC-SHA256 of the normalised name and
 * date of birth. Without the key nobody can link an id back to a child or test a guess.
 */
export function subjectIdFor(
  key: Uint8Array | string,
  subject: { givenName: string; familyName: string; dateOfBirth: string },
): string {
  const material = [
    normaliseName(subject.givenName),
    normaliseName(subject.familyName),
    subject.dateOfBirth,
  ].join("\u001f");
  const digest = createHmac("sha256", key).update(material, "utf8").digest("base64url");
  return `subj_${digest.slice(0, 32)}`;
}
