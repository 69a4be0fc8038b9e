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

/**
 * An NHS number's tenth digit is a Modulus 11 check over the first nine (weights 10 to 2). A
 * remainder giving 10 means no number was ever issued with those nine digits. Spaces, as
 * printed on NHS letters ("943 476 5919"), are allowed and ignored.
 */
export function isValidNhsNumber(text: string): boolean {
  const digits = text.replace(/ /g, "");
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** The ten digits of an NHS number, without the spaces it is often written with. */
export const normaliseNhsNumber = (text: string): string => text.replace(/ /g, "");

/** The keyed digests a child's identity is looked up by; none of them reveals the child. */
export interface SubjectKeys {
  /** The id the normalised names and date of birth give. */
  nameId: string;
  /** A keyed digest of the NHS number (the link record's key), or null without one. */
  nhsKey: string | null;
  /** The id a child gets from its NHS number when its name id is already another child's. */
  nhsId: string | null;
}

export function subjectKeys(
  key: Uint8Array | string,
  subject: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber?: string | undefined },
): SubjectKeys {
  const nameId = subjectIdFor(key, subject);
  if (subject.nhsNumber === undefined) return { nameId, nhsKey: null, nhsId: null };
  // Domain-separated from the name material, so no names can ever collide with a number.
  const digest = createHmac("sha256", key)
    .update(`nhs\u001f${normaliseNhsNumber(subject.nhsNumber)}`, "utf8")
    .digest("base64url");
  return { nameId, nhsKey: digest.slice(0, 43), nhsId: `subj_${digest.slice(0, 32)}` };
}

/** The links the hub has recorded: NHS number → subject id, and name id → the NHS number holding it. */
export interface IdentityLinks {
  subjectOfNhs: string | null;
  nhsOfName: string | null;
}

/** What a submission must record so later concerns resolve the same way. */
export interface SubjectResolution {
  subjectId: string;
  /** New links, written only if nobody wrote them first (conditional puts, in one transaction). */
  claims: {
    nhs: { nhsKey: string; subjectId: string } | null;
    name: { nameId: string; nhsKey: string } | null;
  };
}

/**
 * Identity resolution, as rules a reader can check (the README states them):
 * 1. Without an NHS number the child is its name id: the same normalised names and date of
 *    birth give the same id.
 * 2. An NHS number seen before keeps the subject id it was first linked to, whatever the
 *    names now say (a misspelt family name is the same child).
 * 3. An NHS number seen for the first time takes over the name id (so a child first seen
 *    without a number keeps its id) unless another NHS number already holds that name id:
 *    then the child is someone else with the same names and date of birth and gets an id of
 *    its own, from its NHS number. A link once written never moves, so no later concern can
 *    merge two children.
 */
export function resolveSubject(keys: SubjectKeys, links: IdentityLinks): SubjectResolution {
  if (keys.nhsKey === null || keys.nhsId === null) {
    return { subjectId: keys.nameId, claims: { nhs: null, name: null } };
  }
  if (links.subjectOfNhs !== null)
    return { subjectId: links.subjectOfNhs, claims: { nhs: null, name: null } };
  if (links.nhsOfName === null || links.nhsOfName === keys.nhsKey) {
    return {
      subjectId: keys.nameId,
      claims: {
        nhs: { nhsKey: keys.nhsKey, subjectId: keys.nameId },
        name: links.nhsOfName === null ? { nameId: keys.nameId, nhsKey: keys.nhsKey } : null,
      },
    };
  }
  return {
    subjectId: keys.nhsId,
    claims: { nhs: { nhsKey: keys.nhsKey, subjectId: keys.nhsId }, name: null },
  };
}
