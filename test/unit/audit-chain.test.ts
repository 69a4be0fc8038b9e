import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type AuditDraft,
  type AuditEvent,
  canonicalJson,
  chain,
  GENESIS_HASH,
  hashEvent,
  payloadDigest,
  verifyShard,
} from "../../shared/domain/audit.js";

/** SHA-256 written here with nothing but node:crypto, independently of the code under test. */
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const GOLDEN_DRAFT: AuditDraft = {
  id: "evt_01",
  at: "2026-11-20T21:45:00.123Z",
  action: "disclosure",
  actor: { partnerId: "essex-police", sub: "pc-1234", clientId: "essex-police-app" },
  subjectId: "subj_golden",
  concernId: "con_01",
  notificationId: "ntf_01",
  recipientId: "st-marys-primary",
  agreement: { id: "encompass-st-marys", version: 1 },
  purpose: "safeguarding",
  lawfulBasis: ["UK GDPR Art. 6(1)(e) – public task", "Children Act 2004 s11"],
  dataCategories: ["identity", "education", "voice_of_child"],
  payloadSha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  reason: null,
  target: null,
  requestId: "req_01",
};

/** The golden event without `hash`, as RFC 8785 writes it: members sorted, no spaces, UTF-8 as is. */
const GOLDEN_CANONICAL =
  '{"action":"disclosure",' +
  '"actor":{"clientId":"essex-police-app","partnerId":"essex-police","sub":"pc-1234"},' +
  '"agreement":{"id":"encompass-st-marys","version":1},' +
  '"at":"2026-11-20T21:45:00.123Z",' +
  '"concernId":"con_01",' +
  '"dataCategories":["identity","education","voice_of_child"],' +
  '"id":"evt_01",' +
  '"lawfulBasis":["UK GDPR Art. 6(1)(e) – public task","Children Act 2004 s11"],' +
  '"notificationId":"ntf_01",' +
  '"payloadSha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",' +
  '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000",' +
  '"purpose":"safeguarding",' +
  '"reason":null,' +
  '"recipientId":"st-marys-primary",' +
  '"requestId":"req_01",' +
  '"seq":1,' +
  '"shard":0,' +
  '"subjectId":"subj_golden",' +
  '"target":null}';

const GOLDEN_HASH = "97c8da15a440fc8977e77c9baf419e245bb6099666e1a62b6f18aae75f0829ff";

const GENESIS = { shard: 0, seq: 0, hash: GENESIS_HASH } as const;

function draft(n: number): AuditDraft {
  return {
    ...GOLDEN_DRAFT,
    id: `evt_${String(n).padStart(2, "0")}`,
    at: `2026-11-20T21:45:${String(n).padStart(2, "0")}.000Z`,
    action: n % 2 === 0 ? "notification_opened" : "disclosure",
    notificationId: `ntf_${n}`,
  };
}

function chainOfFive(): AuditEvent[] {
  return chain([1, 2, 3, 4, 5].map(draft), GENESIS);
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

describe("the audit chain golden vector", () => {
  it("is the contract's own formula: SHA-256 of the hand-written canonical JSON", () => {
    // Prepare
    const canonical = GOLDEN_CANONICAL;

    // Act
    const independent = sha256(canonical);

    // Assess
    expect(independent).toBe(GOLDEN_HASH);
  });

  it("is what chain() gives the fixed draft at the genesis head", () => {
    // Prepare
    const drafts = [GOLDEN_DRAFT];

    // Act
    const [event] = chain(drafts, GENESIS);

    // Assess
    expect(event).toStrictEqual({
      ...GOLDEN_DRAFT,
      shard: 0,
      seq: 1,
      prevHash: GENESIS_HASH,
      hash: GOLDEN_HASH,
    });
  });

  it("canonicalises the event without its hash to exactly the hand-written text", () => {
    // Prepare
    const [event] = chain([GOLDEN_DRAFT], GENESIS);
    if (!event) throw new Error("no event");
    const { hash: _hash, ...withoutHash } = event;

    // Act
    const canonical = canonicalJson(withoutHash);

    // Assess
    expect(canonical).toBe(GOLDEN_CANONICAL);
    expect(hashEvent(event)).toBe(GOLDEN_HASH);
  });

  it("has a genesis hash of 64 zeros", () => {
    // Prepare
    const expected = "0".repeat(64);

    // Act
    const genesis = GENESIS_HASH;

    // Assess
    expect(genesis).toBe(expected);
  });
});

describe("chain", () => {
  it("numbers events from the head and links each to the one before", () => {
    // Prepare
    const drafts = [1, 2, 3].map(draft);

    // Act
    const events = chain(drafts, { shard: 3, seq: 41, hash: "a".repeat(64) });

    // Assess
    expect(events.map((e) => [e.shard, e.seq])).toEqual([
      [3, 42],
      [3, 43],
      [3, 44],
    ]);
    expect(events.map((e) => e.prevHash)).toEqual(["a".repeat(64), at(events, 0).hash, at(events, 1).hash]);
    for (const e of events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("verifyShard", () => {
  it("finds no problem in an intact chain of 5", () => {
    // Prepare
    const events = chainOfFive();

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems).toEqual([]);
  });

  it("finds no problem in an empty shard", () => {
    // Prepare
    const events: AuditEvent[] = [];

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems).toEqual([]);
  });

  it("reports a hash_mismatch at the seq of an event whose member was changed", () => {
    // Prepare
    const events = chainOfFive();
    const third = at(events, 2);
    events[2] = { ...third, recipientId: "essex-health" };

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([[3, "hash_mismatch"]]);
  });

  it("reports a change to a nested member (the agreement version)", () => {
    // Prepare
    const events = chainOfFive();
    const second = at(events, 1);
    events[1] = { ...second, agreement: { id: "encompass-st-marys", version: 2 } };

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([[2, "hash_mismatch"]]);
  });

  it("reports a changed event whose hash was recomputed as a broken link to the next one", () => {
    // Prepare
    const events = chainOfFive();
    const { hash: _hash, ...third } = { ...at(events, 2), reason: "tampered" };
    events[2] = { ...third, hash: hashEvent(third) };

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([[4, "prev_hash_mismatch"]]);
  });

  it("reports a gap where an event was removed", () => {
    // Prepare
    const events = chainOfFive();
    events.splice(2, 1);

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([
      [3, "gap"],
      [4, "prev_hash_mismatch"],
    ]);
  });

  it("reports a missing first event", () => {
    // Prepare
    const events = chainOfFive().slice(1);

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([
      [1, "gap"],
      [2, "prev_hash_mismatch"],
    ]);
  });

  it("reports two swapped events", () => {
    // Prepare
    const events = chainOfFive();
    const [second, third] = [at(events, 1), at(events, 2)];
    events[1] = third;
    events[2] = second;

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => p.problem)).toContain("out_of_order");
    expect(problems.map((p) => p.problem)).toContain("prev_hash_mismatch");
  });

  it("reports two events whose contents were swapped but whose seqs were kept", () => {
    // Prepare
    const events = chainOfFive();
    const [second, third] = [at(events, 1), at(events, 2)];
    events[1] = { ...third, seq: 2 };
    events[2] = { ...second, seq: 3 };

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.filter((p) => p.problem === "hash_mismatch").map((p) => p.seq)).toEqual([2, 3]);
  });

  it("reports an inserted event, even one with a valid hash and link", () => {
    // Prepare
    const events = chainOfFive();
    const second = at(events, 1);
    const [forged] = chain([{ ...draft(99), reason: "inserted" }], { shard: 0, seq: 2, hash: second.hash });
    if (!forged) throw new Error("no forged event");
    events.splice(2, 0, forged);

    // Act
    const problems = verifyShard(0, events);

    // Assess
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([
      [3, "duplicate_seq"],
      [3, "prev_hash_mismatch"],
    ]);
  });

  it("reports an inserted event when the events after it were renumbered", () => {
    // Prepare
    const events = chainOfFive();
    const [forged] = chain([draft(99)], { shard: 0, seq: 2, hash: at(events, 1).hash });
    if (!forged) throw new Error("no forged event");
    const renumbered = events.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }));
    const tampered = [at(events, 0), at(events, 1), forged, ...renumbered];

    // Act
    const problems = verifyShard(0, tampered);

    // Assess
    expect(problems.map((p) => p.problem)).toContain("hash_mismatch");
    expect(problems.map((p) => p.problem)).toContain("prev_hash_mismatch");
  });

  it("reports an event from another shard", () => {
    // Prepare
    const events = chainOfFive();

    // Act
    const problems = verifyShard(1, events);

    // Assess
    expect(problems.filter((p) => p.problem === "wrong_shard").map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("payloadDigest", () => {
  it("is the SHA-256 of the payload's canonical JSON, whatever order its members were written in", () => {
    // Prepare
    const payload = {
      voiceOfChild: { views: "Appeared settled", spokenTo: false, seen: true, reasonNotSpokenTo: "asleep" },
      subject: {
        subjectId: "subj_golden",
        schoolId: "st-marys-primary",
        givenName: "Amy",
        familyName: "Example",
        dateOfBirth: "2017-03-02",
      },
    };
    const canonical =
      '{"subject":{"dateOfBirth":"2017-03-02","familyName":"Example","givenName":"Amy",' +
      '"schoolId":"st-marys-primary","subjectId":"subj_golden"},' +
      '"voiceOfChild":{"reasonNotSpokenTo":"asleep","seen":true,"spokenTo":false,"views":"Appeared settled"}}';

    // Act
    const digest = payloadDigest(payload);

    // Assess
    expect(digest).toBe(sha256(canonical));
    expect(digest).toBe("57cf57de42e90a59e7c34785cf33070d356e8a22153345f19d0a5029f4a41849");
  });

  it("is the SHA-256 of {} for an empty payload", () => {
    // Prepare
    const payload = {};

    // Act
    const digest = payloadDigest(payload);

    // Assess
    expect(digest).toBe(sha256("{}"));
  });
});
