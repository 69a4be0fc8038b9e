import type { ConcernSubmission } from "./concern.js";
import type { DataCategory } from "./vocabulary.js";

/**
 * The minimised concern a recipient is shown: only the members its granted categories cover.
 * A type, not an interface, so it is a JSON object (`Record<string, unknown>`) where the
 * response schemas say so.
 */
export type Payload = {
  subject?: {
    subjectId?: string;
    givenName?: string;
    familyName?: string;
    dateOfBirth?: string;
    nhsNumber?: string;
    address?: NonNullable<ConcernSubmission["subject"]["address"]>;
    schoolId?: string;
    lookedAfter?: boolean;
    specialCategory?: NonNullable<ConcernSubmission["subject"]["specialCategory"]>;
  };
  incident?: { summary?: string; location?: string; crimeReference?: string; offences?: string[] };
  riskRating?: ConcernSubmission["riskRating"];
  riskFactors?: string[];
  voiceOfChild?: ConcernSubmission["voiceOfChild"];
  officer?: NonNullable<ConcernSubmission["officer"]>;
};

/** Copy only the members that are present, so an absent member never appears as `undefined`. */
function pick<T extends object, K extends keyof T>(
  source: T | undefined,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  if (!source) return out;
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = structuredClone(source[key]);
  }
  return out;
}

/**
 * The category-to-member mapping from the contract. The concern type and the time it occurred
 * are not here: they travel in every notification's envelope.
 */
export function minimise(
  concern: ConcernSubmission,
  subjectId: string,
  categories: readonly DataCategory[],
): Payload {
  const granted = new Set(categories);
  const subject: NonNullable<Payload["subject"]> = {};
  const incident: NonNullable<Payload["incident"]> = {};
  const payload: Payload = {};

  if (granted.has("identity")) {
    Object.assign(
      subject,
      { subjectId },
      pick(concern.subject, ["givenName", "familyName", "dateOfBirth", "nhsNumber"]),
    );
  }
  // A safe address travels only where the agreement grants it as such: sending a victim's
  // refuge address under plain `contact` is the breach the ICO reprimands.
  const confidential = concern.subject.address?.confidential === true;
  if (granted.has(confidential ? "confidential_address" : "contact")) {
    Object.assign(subject, pick(concern.subject, ["address"]));
  }
  if (granted.has("education")) Object.assign(subject, pick(concern.subject, ["schoolId"]));
  if (granted.has("care_status")) Object.assign(subject, pick(concern.subject, ["lookedAfter"]));
  if (granted.has("special_category")) Object.assign(subject, pick(concern.subject, ["specialCategory"]));
  if (granted.has("incident")) {
    Object.assign(incident, pick(concern.incident, ["summary", "location", "crimeReference"]));
  }
  if (granted.has("offences")) Object.assign(incident, pick(concern.incident, ["offences"]));
  if (granted.has("risk")) Object.assign(payload, pick(concern, ["riskRating", "riskFactors"]));
  if (granted.has("voice_of_child")) Object.assign(payload, pick(concern, ["voiceOfChild"]));
  if (granted.has("officer")) Object.assign(payload, pick(concern, ["officer"]));

  if (Object.keys(subject).length > 0) payload.subject = subject;
  if (Object.keys(incident).length > 0) payload.incident = incident;
  return payload;
}

/**
 * A payload minimised once, minimised again to fewer categories: what a recipient is shown
 * when it opens a notification whose agreement now grants less than when it was made. A
 * payload holds only members of the concern, so minimising it is minimising the concern to
 * the categories both grant.
 */
export function narrow(payload: Payload, categories: readonly DataCategory[]): Payload {
  const subjectId = payload.subject?.subjectId;
  const asConcern = { ...payload, subject: payload.subject ?? {} } as unknown as ConcernSubmission;
  const shown = minimise(asConcern, subjectId ?? "", categories);
  // Identity was not granted when the payload was made: narrowing must not add the id.
  if (subjectId === undefined && shown.subject) {
    delete shown.subject.subjectId;
    if (Object.keys(shown.subject).length === 0) delete shown.subject;
  }
  return shown;
}
