import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConcernSubmission } from "../../shared/domain/concern.js";
import { minimise, narrow } from "../../shared/domain/minimise.js";
import {
  CONCERN_TYPES,
  DATA_CATEGORIES,
  type DataCategory,
  RISK_RATINGS,
} from "../../shared/domain/vocabulary.js";
import { amyConcern } from "../support/fixtures.js";

const SUBJECT_ID = "subj_0123456789abcdefghijklmnopqrstuv";

/** The contract's category-to-member mapping (Notifications), written out independently of the code. */
const MEMBERS: Record<DataCategory, readonly string[]> = {
  identity: ["subject.subjectId", "subject.givenName", "subject.familyName", "subject.dateOfBirth"],
  contact: ["subject.address"],
  confidential_address: ["subject.address"],
  education: ["subject.schoolId"],
  care_status: ["subject.lookedAfter"],
  incident: ["incident.summary", "incident.location", "incident.crimeReference"],
  offences: ["incident.offences"],
  risk: ["riskRating", "riskFactors"],
  voice_of_child: ["voiceOfChild"],
  special_category: ["subject.specialCategory"],
  officer: ["officer"],
};

/** Every leaf of a JSON value as a dotted path; an empty object or array is a leaf itself. */
function leafPaths(value: unknown, prefix = ""): string[] {
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return prefix === "" ? [] : [prefix];
    return entries.flatMap(([key, child]) => leafPaths(child, prefix === "" ? key : `${prefix}.${key}`));
  }
  return [prefix];
}

function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The members a category covers in this concern: an address marked confidential belongs to
 * `confidential_address` and never to `contact`; any other address the other way round.
 */
function membersOf(category: DataCategory, concern: ConcernSubmission): readonly string[] {
  const confidential = concern.subject.address?.confidential === true;
  if (category === "contact" && confidential) return [];
  if (category === "confidential_address" && !confidential) return [];
  return MEMBERS[category];
}

const within = (leaf: string, member: string) => leaf === member || leaf.startsWith(`${member}.`);

describe("minimise", () => {
  it("gives the school exactly the subject's identity and school, and the voice of the child", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const payload = minimise(concern, SUBJECT_ID, ["identity", "education", "voice_of_child"]);

    // Assess
    expect(payload).toStrictEqual({
      subject: {
        subjectId: SUBJECT_ID,
        givenName: "Amy",
        familyName: "Example",
        dateOfBirth: "2017-03-02",
        schoolId: "st-marys-primary",
      },
      voiceOfChild: { seen: true, spokenTo: false, reasonNotSpokenTo: "asleep", views: "Appeared settled" },
    });
  });

  it("gives the MASH (every category) every member of the concern, but not its envelope", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const payload = minimise(concern, SUBJECT_ID, DATA_CATEGORIES);

    // Assess
    expect(payload).toStrictEqual({
      subject: {
        subjectId: SUBJECT_ID,
        givenName: "Amy",
        familyName: "Example",
        dateOfBirth: "2017-03-02",
        address: { line1: "1 Any Street", postcode: "CM1 1AA" },
        schoolId: "st-marys-primary",
        lookedAfter: false,
        specialCategory: { ethnicity: "White British", health: "Asthma" },
      },
      incident: {
        summary: "Argument between adults escalated to assault",
        location: "Family home",
        crimeReference: "42/12345/26",
        offences: ["Common assault"],
      },
      riskRating: "red",
      riskFactors: ["Previous incidents at the address"],
      voiceOfChild: { seen: true, spokenTo: false, reasonNotSpokenTo: "asleep", views: "Appeared settled" },
      officer: { name: "PC Jane Smith", collarNumber: "1234", phone: "01245 000000" },
    });
  });

  it("sends a confidential address only under confidential_address, never under contact", () => {
    // Prepare
    const base = amyConcern();
    const refuge = { line1: "Refuge", postcode: "CM2 2BB", confidential: true };
    const concern = amyConcern({ subject: { ...base.subject, address: refuge } });

    // Act
    const underContact = minimise(concern, SUBJECT_ID, ["identity", "contact"]);
    const underConfidential = minimise(concern, SUBJECT_ID, ["identity", "confidential_address"]);
    const plainUnderConfidential = minimise(base, SUBJECT_ID, ["identity", "confidential_address"]);

    // Assess
    expect(underContact.subject).not.toHaveProperty("address");
    expect(JSON.stringify(underContact)).not.toContain("Refuge");
    expect(underConfidential.subject?.address).toStrictEqual(refuge);
    expect(plainUnderConfidential.subject).not.toHaveProperty("address");
  });

  it("gives nothing at all for no categories", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const payload = minimise(concern, SUBJECT_ID, []);

    // Assess
    expect(payload).toStrictEqual({});
  });

  it("leaves out a granted member the concern does not have, rather than sending it empty", () => {
    // Prepare
    const { officer: _officer, incident: _incident, ...rest } = amyConcern();
    const concern: ConcernSubmission = rest;

    // Act
    const payload = minimise(concern, SUBJECT_ID, ["incident", "offences", "officer"]);

    // Assess
    expect(payload).toStrictEqual({});
  });

  it("never carries the break-glass justification, even with every category", () => {
    // Prepare
    const concern = amyConcern({ breakGlass: { justification: "x".repeat(40) } });

    // Act
    const payload = minimise(concern, SUBJECT_ID, DATA_CATEGORIES);

    // Assess
    expect(payload).not.toHaveProperty("breakGlass");
    expect(JSON.stringify(payload)).not.toContain("x".repeat(40));
  });

  it("copies what it shares, so changing the payload does not change the concern", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const payload = minimise(concern, SUBJECT_ID, DATA_CATEGORIES);
    if (payload.voiceOfChild) payload.voiceOfChild.views = "changed";
    payload.incident?.offences?.push("changed");

    // Assess
    expect(concern.voiceOfChild.views).toBe("Appeared settled");
    expect(concern.incident?.offences).toEqual(["Common assault"]);
  });
});

const shortText = fc.string({ minLength: 1, maxLength: 12 });
const texts = fc.array(shortText, { maxLength: 3 });

const concernArb: fc.Arbitrary<ConcernSubmission> = fc.record(
  {
    concernType: fc.constantFrom(...CONCERN_TYPES),
    riskRating: fc.constantFrom(...RISK_RATINGS),
    occurredAt: fc.constant("2026-11-20T21:40:00Z"),
    area: fc.constantFrom("essex", "southend"),
    subject: fc.record(
      {
        givenName: shortText,
        familyName: shortText,
        dateOfBirth: fc.constantFrom("2017-03-02", "2008-02-29"),
        address: fc.record(
          {
            line1: shortText,
            line2: shortText,
            town: shortText,
            postcode: shortText,
            confidential: fc.boolean(),
          },
          { requiredKeys: ["line1", "postcode"], noNullPrototype: true },
        ),
        schoolId: fc.constantFrom("st-marys-primary", "other-school"),
        lookedAfter: fc.boolean(),
        specialCategory: fc.record(
          { ethnicity: shortText, religion: shortText, health: shortText },
          { requiredKeys: [], noNullPrototype: true },
        ),
      },
      { requiredKeys: ["givenName", "familyName", "dateOfBirth"], noNullPrototype: true },
    ),
    incident: fc.record(
      { summary: shortText, location: shortText, crimeReference: shortText, offences: texts },
      { requiredKeys: ["summary"], noNullPrototype: true },
    ),
    riskFactors: texts,
    voiceOfChild: fc.record(
      { seen: fc.boolean(), spokenTo: fc.boolean(), reasonNotSpokenTo: shortText, views: shortText },
      { requiredKeys: ["seen", "spokenTo"], noNullPrototype: true },
    ),
    officer: fc.record(
      { name: shortText, collarNumber: shortText, phone: shortText, email: shortText },
      { requiredKeys: ["name"], noNullPrototype: true },
    ),
    breakGlass: fc.record(
      { justification: fc.string({ minLength: 30, maxLength: 40 }) },
      { noNullPrototype: true },
    ),
  },
  {
    requiredKeys: ["concernType", "riskRating", "occurredAt", "area", "subject", "voiceOfChild"],
    noNullPrototype: true,
  },
);

const categoriesArb = fc.subarray([...DATA_CATEGORIES]).chain((subset) => fc.shuffledSubarray(subset));

describe("minimise, for any concern and any granted categories", () => {
  it("shares only members of granted categories, and every granted member the concern has", () => {
    fc.assert(
      fc.property(concernArb, categoriesArb, (concern, categories) => {
        // Prepare
        const allowed = categories.flatMap((c) => membersOf(c, concern));
        const source = { ...concern, subject: { ...concern.subject, subjectId: SUBJECT_ID } };

        // Act
        const payload = minimise(concern, SUBJECT_ID, categories);

        // Assess: every leaf lies under a granted member and carries the concern's own value.
        for (const leaf of leafPaths(payload)) {
          const member = allowed.find((m) => within(leaf, m));
          expect(member, `${leaf} is not covered by ${categories.join(", ")}`).toBeDefined();
          expect(valueAt(payload, leaf)).toStrictEqual(valueAt(source, leaf));
        }
        // Assess: conversely, every granted member present in the concern is shared whole.
        for (const member of allowed) {
          const expected = valueAt(source, member);
          if (expected !== undefined) expect(valueAt(payload, member)).toStrictEqual(expected);
          else expect(valueAt(payload, member)).toBeUndefined();
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same payload whatever order the categories come in, or if one repeats", () => {
    fc.assert(
      fc.property(concernArb, categoriesArb, (concern, categories) => {
        // Prepare
        const reordered = [...categories].reverse();
        const repeated = [...categories, ...categories];

        // Act
        const payloads = [categories, reordered, repeated].map((c) => minimise(concern, SUBJECT_ID, c));

        // Assess
        expect(payloads[1]).toStrictEqual(payloads[0]);
        expect(payloads[2]).toStrictEqual(payloads[0]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("narrow, for any concern and two sets of categories", () => {
  it("minimising a payload again is minimising the concern to the categories both grant", () => {
    fc.assert(
      fc.property(concernArb, categoriesArb, categoriesArb, (concern, made, now) => {
        // Prepare: the payload a notification was made with, and what its agreement grants now.
        const payload = minimise(concern, SUBJECT_ID, made);
        const both = made.filter((c) => now.includes(c));

        // Act
        const shown = narrow(payload, now);

        // Assess
        expect(shown).toStrictEqual(minimise(concern, SUBJECT_ID, both));
      }),
      { numRuns: 500 },
    );
  });
});
