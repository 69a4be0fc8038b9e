import { describe, expect, it } from "vitest";
import { sweepErasures } from "../../shared/app/retention.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { verifyAudit } from "../../shared/domain/verify.js";
import type { NotificationRecord } from "../../shared/ports.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/**
 * Retention on DynamoDB Local: the sweep erases what is past its retention, in one
 * transaction with its one `content_erased` event, leaves what is younger, and the chain
 * still verifies.
 */

const officer = submittingPolice("pc-1234", "req-officer");
const subjectKey = Buffer.alloc(32, 9);
const DAY = 86_400_000;
const SHARDS = 4;

/** A clock the test moves. */
function movableClock(start: string) {
  let now = Date.parse(start);
  return { now: () => new Date(now), set: (at: number) => (now = at) };
}

async function setup() {
  const clock = movableClock("2026-11-22T09:00:00.000Z");
  const store = await freshStore({ clock, shards: SHARDS });
  const { erasures } = store;
  return { clock, store, erasures, deps: { ids: store.ids, erasures, audit: store.audit } };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function submit(s: Setup, concernDays: number, submission = amyConcern()) {
  const response = await submitConcern(
    { ...s.store, subjectKey, retention: { breakGlassDays: 90, concernDays } },
    officer,
    submission,
    undefined,
  );
  const id = (response.body as { id: string }).id;
  const concern = await s.erasures.getConcern(id);
  if (!concern) throw new Error("concern not stored");
  const notifications = await s.store.concerns.getNotifications(concern.notificationIds);
  return { concern, notifications };
}

async function allEvents(s: Setup): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let shard = 0; shard < SHARDS; shard++)
    for await (const page of s.store.audit.readShard(shard)) events.push(...page);
  return events;
}

const erasedEvents = (events: AuditEvent[], kind: string, id: string) =>
  events.filter((e) => e.action === "content_erased" && e.target?.kind === kind && e.target.id === id);

describe("the erasing sweep on DynamoDB Local", () => {
  it("erases what is past its retention within one sweep, once, leaves the younger intact, and the chain verifies", async () => {
    // Prepare: an older concern whose first notification has an outcome note, then a younger
    // one submitted late enough that none of its notifications is due when the sweep runs.
    const s = await setup();
    const t0 = s.clock.now().getTime();
    const older = await submit(s, 1);
    const noted = older.notifications[0] as NotificationRecord;
    const withNote: NotificationRecord = {
      ...noted,
      status: "closed",
      outcome: {
        outcome: "no_further_action",
        note: "Spoke to mum at home",
        recordedAt: noted.createdAt,
        recordedBy: { partnerId: noted.recipientId, sub: "dsl-1", clientId: null },
      },
    };
    expect(await s.store.concerns.transition(withNote, noted.status, [])).toBe("ok");
    const retained = older.notifications.map((n) => Date.parse(n.retainUntil));
    const spread = Math.max(...retained) - Math.min(...retained);
    s.clock.set(t0 + spread + 2 * DAY);
    const younger = await submit(s, 3650);
    const sweepAt = new Date(Math.max(...retained) + 1000);
    const before = await allEvents(s);

    // Act
    const done = await sweepErasures(s.deps, sweepAt, Date.now() + 30_000);

    // Assess: every older notification and the older concern erased, one event each.
    expect(done).toBe(older.notifications.length + 1);
    const events = await allEvents(s);
    for (const n of older.notifications) {
      const erased = await s.erasures.getNotification(n.id);
      expect(erased?.payload).toBeNull();
      expect(erased?.subjectDateOfBirth).toBeNull();
      expect(erased?.erasedAt).toBe(sweepAt.toISOString());
      expect(erased?.status).toBe(n.id === noted.id ? "closed" : n.status);
      expect(erasedEvents(events, "notification", n.id)).toHaveLength(1);
    }
    const erasedNote = await s.erasures.getNotification(noted.id);
    expect(erasedNote?.outcome).toMatchObject({ outcome: "no_further_action", note: null });
    const concern = await s.erasures.getConcern(older.concern.id);
    expect(concern?.body).toBeNull();
    expect(concern?.erasedAt).toBe(sweepAt.toISOString());
    expect(erasedEvents(events, "concern", older.concern.id)).toHaveLength(1);
    // The younger one is untouched.
    for (const n of younger.notifications) {
      const kept = await s.erasures.getNotification(n.id);
      expect(Date.parse(n.retainUntil)).toBeGreaterThan(sweepAt.getTime());
      expect(kept?.payload).toEqual(n.payload);
      expect(kept?.erasedAt).toBeNull();
    }
    expect((await s.erasures.getConcern(younger.concern.id))?.body).toEqual(younger.concern.body);
    // Only content_erased events were added, and none carries what was erased.
    const added = events.filter((e) => !before.some((b) => b.id === e.id));
    expect(added.map((e) => e.action)).toEqual(added.map(() => "content_erased"));
    expect(added).toHaveLength(older.notifications.length + 1);
    expect(JSON.stringify(added)).not.toMatch(/Amy|Example|2017-03-02|CM1 1AA|Spoke to mum/);
    const verified = await verifyAudit({ events, checkpoints: [], keys: { keys: [] }, shards: SHARDS });
    expect(verified.problems).toEqual([]);
    expect(verified.valid).toBe(true);

    // A second sweep finds nothing left to erase and writes nothing.
    await sweepErasures(s.deps, sweepAt, Date.now() + 30_000);
    expect(await allEvents(s)).toHaveLength(events.length);
  });

  it("refuses to restore erased content from a copy read before the erasure", async () => {
    // Prepare: a notification read, then erased.
    const s = await setup();
    const { notifications } = await submit(s, 1);
    const stale = notifications[0] as NotificationRecord;
    await sweepErasures(s.deps, new Date(Date.parse(stale.retainUntil) + 1000), Date.now() + 30_000);

    // Act: an acknowledgement made from the stale copy.
    const result = await s.store.concerns.transition(
      { ...stale, status: "acknowledged", acknowledgedAt: stale.createdAt },
      stale.status,
      [],
    );

    // Assess
    expect(result).toBe("conflict");
    expect((await s.erasures.getNotification(stale.id))?.payload).toBeNull();

    // The overdue sweep's copy comes from the due index: one read before the erasure is refused too.
    const { timeliness } = s.store;
    const escalation = {
      id: `esc_due_${stale.id}`,
      kind: "deadline_missed" as const,
      discloserId: stale.discloserId,
      notificationId: stale.id,
      concernId: stale.concernId,
      recipientId: stale.recipientId,
      dueBy: stale.dueBy,
      at: stale.dueBy,
    };
    expect(await timeliness.markOverdue({ ...stale, status: "overdue" }, [], escalation, [])).toBe(
      "conflict",
    );
    const after = await s.erasures.getNotification(stale.id);
    expect(after?.payload).toBeNull();
    expect(after?.status).toBe(stale.status);
  });

  it("erases the justification a withheld decision's review copied, with the concern's body", async () => {
    // Prepare: the school deliberately not told.
    const s = await setup();
    const justification = "Telling the school would alert the father who collects Amy daily";
    const { concern } = await submit(
      s,
      1,
      amyConcern({ withhold: [{ recipientId: "st-marys-primary", justification }] }),
    );
    const review = (await s.store.reviews.list(undefined, undefined, 10)).items.find(
      (r) => r.concernId === concern.id,
    );
    expect(review?.justification).toBe(justification);

    // Act
    await sweepErasures(s.deps, new Date(Date.parse(concern.eraseAfter) + 1000), Date.now() + 30_000);

    // Assess
    expect((await s.erasures.getConcern(concern.id))?.body).toBeNull();
    const erased = await s.store.reviews.get(review?.id ?? "");
    expect(erased?.justification).toBe("");
    expect(erased?.kind).toBe("withheld");
  });

  it("measures erasures per second", async () => {
    // Prepare: 40 concerns, each with its notifications, all due.
    const s = await setup();
    let due = 0;
    let last = 0;
    for (let i = 0; i < 40; i++) {
      const { notifications } = await submit(s, 1);
      due += notifications.length + 1;
      last = Math.max(last, ...notifications.map((n) => Date.parse(n.retainUntil)));
    }

    // Act
    const started = performance.now();
    let done = 0;
    for (let sweep = 0; sweep < 5 && done < due; sweep++)
      done += await sweepErasures(s.deps, new Date(last + 1000), Date.now() + 60_000);
    const seconds = (performance.now() - started) / 1000;

    // Assess
    expect(done).toBe(due);
    const erased = (await allEvents(s)).filter((e) => e.action === "content_erased");
    expect(erased).toHaveLength(due);
    process.stderr.write(
      `retention: ${due} erasures in ${seconds.toFixed(2)} s = ${(due / seconds).toFixed(1)}/s\n`,
    );
  }, 120_000);
});
