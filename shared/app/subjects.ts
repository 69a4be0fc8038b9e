import { resolveSubject, subjectKeys } from "../domain/subject.js";
import type { Clock, SubjectLinkStore } from "../ports.js";

export interface SubjectDeps {
  clock: Clock;
  subjectKey: Uint8Array;
  subjects: SubjectLinkStore;
}

/**
 * The pseudonymous subject id of the child a concern is about, by the rules in
 * `resolveSubject`. New links are written before the concern: a link is a fact about a
 * child, not about this concern, so it stands even if the submission then fails. A writer
 * that loses a race for a link reads the winner's and resolves again.
 */
export async function subjectIdOf(
  deps: SubjectDeps,
  subject: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber?: string | undefined },
): Promise<string> {
  const keys = subjectKeys(deps.subjectKey, subject);
  if (keys.nhsKey === null) return keys.nameId;
  for (let attempt = 0; attempt < 3; attempt++) {
    const links = await deps.subjects.identityLinks(keys.nhsKey, keys.nameId);
    const resolution = resolveSubject(keys, links);
    if ((await deps.subjects.claimLinks(resolution.claims, deps.clock.now().toISOString())) === "ok") {
      return resolution.subjectId;
    }
  }
  // Three lost races in a row on one child: the store is busy, the caller may retry.
  throw Object.assign(new Error("identity links contended"), { name: "TransactionConflictException" });
}
