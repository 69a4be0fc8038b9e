import { describe, expect, it } from "vitest";
import type { Caller } from "../../shared/app/context.js";
import { changeAgreementStatus } from "../../shared/app/registry.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import type { ConcernStore, StoredResponse, SubmissionWrite } from "../../shared/ports.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/**
 * A submission is decided against the agreements as they stand when its transaction commits:
 * a suspension that lands between the submission's reads and its commit stops the disclosure.
 */

const officer = submittingPolice("pc-1234", "req-officer");
const ig: Caller = { ...officer, sub: "ig-officer", clientId: "essex-police-ig", requestId: "req-ig" };
const subjectKey = Buffer.alloc(32, 9);
const SCHOOL_AGREEMENT = "encompass-st-marys";

type Store = Awaited<ReturnType<typeof freshStore>>;

/** The concern store with a hook that runs before each commit: the interleaving, forced. */
function hooked(store: Store, beforeCommit: (call: number) => Promise<void>): ConcernStore {
  let calls = 0;
  return {
    recordConcern: async (submission: SubmissionWrite) => {
      calls += 1;
      await beforeCommit(calls);
      return store.concerns.recordConcern(submission);
    },
    findIdempotency: (partnerId, key) => store.concerns.findIdempotency(partnerId, key),
    getConcern: (id) => store.concerns.getConcern(id),
    getNotifications: (ids) => store.concerns.getNotifications(ids),
  };
}

const suspendSchool = (store: Store) =>
  changeAgreementStatus(
    { ...store, webhookHttpsOnly: false, resolveHost: async () => [] },
    ig,
    SCHOOL_AGREEMENT,
    1,
    "suspend",
  );

async function shardEvents(store: Store, shard: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const page of store.audit.readShard(shard)) events.push(...page);
  return events;
}

type Receipt = {
  notifications: { recipientId: string }[];
  refusals: { recipientId: string; reason: string }[];
};

describe("commit-time binding on DynamoDB Local", () => {
  it("refuses the school when its agreement is suspended between the submission's reads and its commit", async () => {
    // Prepare: the hook suspends the school's agreement just before the first commit.
    const store = await freshStore();
    const commits: number[] = [];
    const concerns = hooked(store, async (call) => {
      commits.push(call);
      if (call === 1) await suspendSchool(store);
    });

    // Act
    const response = await submitConcern(
      { ...store, concerns, subjectKey },
      officer,
      amyConcern(),
      undefined,
    );

    // Assess: the first commit was cancelled by the revision check, the second decision refused.
    const receipt = response.body as Receipt;
    expect(commits).toEqual([1, 2]);
    expect(receipt.notifications.map((n) => n.recipientId)).toEqual(["essex-mash"]);
    expect(receipt.refusals).toContainEqual({
      recipientId: "st-marys-primary",
      reason: "agreement_not_active",
    });
    const events = await store.audit.query({ action: "disclosure" }, undefined, 100);
    expect(events.items.filter((e) => e.recipientId === "st-marys-primary")).toEqual([]);
  });

  it("never leaves a disclosure citing a version suspended before its transaction committed (20 racing one suspension)", async () => {
    // Prepare: one shard, so seq order is commit order. The suspension starts as the fifth
    // submission reaches its commit, so some commits land before it and some after.
    const store = await freshStore({ shards: 1 });
    let suspension: Promise<unknown> = Promise.resolve();
    const concerns = hooked(store, async (call) => {
      if (call === 5) suspension = suspendSchool(store);
    });

    // Act
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        submitConcern({ ...store, concerns, subjectKey }, officer, amyConcern(), undefined).then(
          (r): StoredResponse | null => r,
          () => null, // a 503 under contention is an answer too; it wrote nothing
        ),
      ),
    );
    await suspension;

    // Assess
    const events = await shardEvents(store, 0);
    const suspended = events.find(
      (e) =>
        e.action === "agreement_changed" &&
        e.target?.id === SCHOOL_AGREEMENT &&
        e.seq > 1 &&
        /suspend/.test(e.reason ?? ""),
    );
    expect(suspended).toBeDefined();
    const cited = events.filter((e) => e.action === "disclosure" && e.agreement?.id === SCHOOL_AGREEMENT);
    for (const e of cited) expect(e.seq).toBeLessThan(suspended?.seq ?? 0);
    const refusedAfter = events.filter(
      (e) => e.action === "disclosure_refused" && e.recipientId === "st-marys-primary",
    );
    for (const e of refusedAfter) expect(e.seq).toBeGreaterThan(suspended?.seq ?? Number.POSITIVE_INFINITY);
    // Every receipt agrees with the trail: each school notification it lists was disclosed.
    const answered = answers.filter((a): a is StoredResponse => a !== null);
    expect(answered.length).toBeGreaterThan(0);
    const toSchool = answered.filter((a) =>
      (a.body as Receipt).notifications.some((n) => n.recipientId === "st-marys-primary"),
    );
    expect(toSchool.length).toBe(cited.length);
    expect(cited.length + refusedAfter.length).toBe(answered.length);
  });
});
