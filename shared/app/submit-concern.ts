import { canonicalJson, sha256Hex } from "../domain/audit.js";
import type { ConcernSubmission } from "../domain/concern.js";
import { isDiscloser } from "../domain/recipients.js";
import type { RoutedRecipient } from "../domain/routing.js";
import { ageOn } from "../domain/time.js";
import { MAX_SUBMISSION_ITEMS } from "../domain/transaction-size.js";
import { MAX_SUBJECT_AGE } from "../domain/vocabulary.js";
import {
  conflict,
  type FieldError,
  forbidden,
  serviceUnavailable,
  transactionLimit,
  validationFailed,
} from "../errors.js";
import type { StoredResponse, SubmissionReceipt } from "../ports.js";
import type { Caller } from "./context.js";
import { subjectIdOf } from "./subjects.js";
import { decide, recipientsOf, type SubmitDeps } from "./submission-decision.js";
import { withholdings } from "./withhold.js";

export {
  DEFAULT_RETENTION,
  IDEMPOTENCY_TTL_SECONDS,
  type RetentionPolicy,
  type SubmitDeps,
} from "./submission-decision.js";

/**
 * How many times a submission is decided: the first on the registry as the index shows it,
 * then, when the commit finds an entry changed, on the table read consistently.
 */
const MAX_DECISIONS = 3;

/**
 * A submission answers within this long, store retries included (503 with Retry-After
 * otherwise), well inside the 10 s Lambda timeout: a caller told 503 can retry with its
 * Idempotency-Key, one cut off by the timeout cannot know what happened.
 */
export const SUBMISSION_BUDGET_MS = 3_000;

/** Officers' devices drift; a minute of skew is not "in the future". */
const FUTURE_SKEW_MS = 60_000;

/** Rules that need the clock, so they live here rather than in the schema. */
function checkAgainstClock(concern: ConcernSubmission, now: Date): void {
  const errors: FieldError[] = [];
  if (Date.parse(concern.occurredAt) > now.getTime() + FUTURE_SKEW_MS) {
    errors.push({ path: "/occurredAt", message: "cannot be in the future" });
  }
  const age = ageOn(concern.subject.dateOfBirth, now);
  if (age < 0) errors.push({ path: "/subject/dateOfBirth", message: "cannot be in the future" });
  if (age > MAX_SUBJECT_AGE) {
    errors.push({
      path: "/subject/dateOfBirth",
      message: `Lantern serves children and young people up to ${MAX_SUBJECT_AGE}`,
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
}

/**
 * Submit a safeguarding concern: route it, check every disclosure against the recipient's
 * agreement, minimise each payload to what is granted, and commit the concern, notifications
 * and audit events in one transaction.
 */
export async function submitConcern(
  deps: SubmitDeps,
  caller: Caller,
  concern: ConcernSubmission,
  idempotencyKey: string | undefined,
): Promise<StoredResponse<SubmissionReceipt>> {
  if (concern.breakGlass && !isDiscloser(caller.partner)) {
    throw forbidden("Only a police force may break glass.");
  }
  const commitBy = Date.now() + SUBMISSION_BUDGET_MS;
  const requestSha256 = sha256Hex(canonicalJson(concern));
  const now = deps.clock.now();
  if (idempotencyKey !== undefined) {
    const replay = await replayed(deps, caller, idempotencyKey, requestSha256, now);
    if (replay) return replay;
  }
  checkAgainstClock(concern, now);
  let snapshot = await deps.registry.decisionSnapshot();
  let calendar = await snapshot.calendar(concern.area);
  // Checked before anything is written (the identity links included): a 400 writes nothing.
  withholdings(concern, recipientsOf(concern, now, snapshot, calendar).recipients);
  const subjectId = await subjectIdOf(deps, concern.subject);
  for (let decision = 0; decision < MAX_DECISIONS; decision++) {
    if (decision > 0) {
      snapshot = await deps.registry.decisionSnapshot(snapshot.epoch);
      calendar = await snapshot.calendar(concern.area);
    }
    const { write, response } = decide(deps, caller, concern, {
      now,
      subjectId,
      snapshot,
      calendar,
      idempotencyKey,
      requestSha256,
    });
    const outcome = await deps.concerns.recordConcern({ ...write, commitBy });
    if (outcome === "ok") return response;
    if (outcome === "too_many_items")
      throw tooManyRecipients(recipientsOf(concern, now, snapshot, calendar).recipients);
    if (outcome === "idempotency_conflict" && idempotencyKey !== undefined) {
      // Another request with the same key committed first: answer as it was answered.
      const replay = await replayed(deps, caller, idempotencyKey, requestSha256, now);
      if (replay) return replay;
      throw serviceUnavailable("Another request with this Idempotency-Key is in progress; try again.");
    }
    // registry_changed: the registry moved on (IG suspended a version, say) before the
    // commit. Nothing was written; decide again on the registry as it now stands.
    if (Date.now() >= commitBy) break;
  }
  throw serviceUnavailable("The registry changed during the submission; try again.");
}

/** A submission over the transaction's limit despite the checks when set (two changes raced). */
function tooManyRecipients(routes: readonly RoutedRecipient[]) {
  const ruleIds = [...new Set(routes.flatMap((r) => r.ruleIds))].map((id) => `"${id}"`);
  return transactionLimit(
    `This submission would write more records than one transaction takes (${MAX_SUBMISSION_ITEMS}): ` +
      `it reaches ${routes.length} partners through rules ${ruleIds.join(", ")}. ` +
      "Nothing was written; information governance must narrow the routing rules.",
  );
}

async function replayed(
  deps: SubmitDeps,
  caller: Caller,
  key: string,
  requestSha256: string,
  now: Date,
): Promise<StoredResponse<SubmissionReceipt> | null> {
  const previous = await deps.concerns.findIdempotency(caller.partner.id, key);
  // Past its 24 hours a record no longer answers, though DynamoDB's TTL may keep it for days.
  if (!previous || previous.expiresAt * 1000 <= now.getTime()) return null;
  if (previous.requestSha256 !== requestSha256) {
    throw conflict("This Idempotency-Key was used with a different body.");
  }
  return previous.response;
}
