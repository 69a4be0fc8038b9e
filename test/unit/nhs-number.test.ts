import { describe, expect, it } from "vitest";
import { ConcernSubmissionSchema } from "../../shared/domain/concern.js";
import {
  type IdentityLinks,
  isValidNhsNumber,
  resolveSubject,
  type SubjectResolution,
  subjectKeys,
} from "../../shared/domain/subject.js";
import { amyConcern } from "../support/fixtures.js";

const KEY = Buffer.alloc(32, 3);

describe("isValidNhsNumber (Modulus 11)", () => {
  it.each([
    ["a valid number", "9434765919", true],
    ["a valid number whose check digit is 0 (remainder 11)", "9434765080", true],
    ["a wrong check digit", "9434765918", false],
    ["nine digits whose check digit would be 10: never issued", "9434765030", false],
    ["the same, whatever the tenth digit", "9434765039", false],
    ["spaces as printed on NHS letters", "943 476 5919", true],
    ["nine digits", "943476591", false],
    ["eleven digits", "94347659190", false],
    ["letters", "94347659I9", false],
    ["hyphens (only spaces are allowed)", "943-476-5919", false],
  ])("%s: %s → %s", (_label, text, valid) => {
    // Act
    const result = isValidNhsNumber(text);

    // Assess
    expect(result).toBe(valid);
  });

  it("is refused at /subject/nhsNumber and stored without its spaces", () => {
    // Prepare
    const concern = amyConcern();
    const bad = { ...concern, subject: { ...concern.subject, nhsNumber: "9434765918" } };
    const spaced = { ...concern, subject: { ...concern.subject, nhsNumber: "943 476 5919" } };

    // Act
    const refused = ConcernSubmissionSchema.safeParse(bad);
    const accepted = ConcernSubmissionSchema.parse(spaced);

    // Assess
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path)).toEqual([["subject", "nhsNumber"]]);
    expect(accepted.subject.nhsNumber).toBe("9434765919");
  });
});

/** A data table's worth of identity links in memory: the store's conditional puts, in miniature. */
class Links {
  readonly nhs = new Map<string, string>();
  readonly names = new Map<string, string>();

  read(nhsKey: string, nameId: string): IdentityLinks {
    return { subjectOfNhs: this.nhs.get(nhsKey) ?? null, nhsOfName: this.names.get(nameId) ?? null };
  }

  claim(claims: SubjectResolution["claims"]): "ok" | "taken" {
    if (claims.nhs && this.nhs.has(claims.nhs.nhsKey)) return "taken";
    if (claims.name && this.names.has(claims.name.nameId)) return "taken";
    if (claims.nhs) this.nhs.set(claims.nhs.nhsKey, claims.nhs.subjectId);
    if (claims.name) this.names.set(claims.name.nameId, claims.name.nhsKey);
    return "ok";
  }

  /** One submission's subject id, as shared/app/subjects.ts resolves it. */
  submit(subject: { givenName: string; familyName: string; dateOfBirth: string; nhsNumber?: string }) {
    const keys = subjectKeys(KEY, subject);
    if (keys.nhsKey === null) return keys.nameId;
    const resolution = resolveSubject(keys, this.read(keys.nhsKey, keys.nameId));
    if (this.claim(resolution.claims) !== "ok") throw new Error("lost a race in a single-threaded test");
    return resolution.subjectId;
  }
}

const AMY = { givenName: "Amy", familyName: "Example", dateOfBirth: "2017-03-02" };

describe("subject ids with NHS numbers", () => {
  it("gives the same id to the same NHS number with a misspelt family name", () => {
    // Prepare
    const links = new Links();

    // Act
    const first = links.submit({ ...AMY, nhsNumber: "9434765919" });
    const misspelt = links.submit({ ...AMY, familyName: "Exampel", nhsNumber: "9434765919" });

    // Assess
    expect(misspelt).toBe(first);
  });

  it("keeps apart two children with the same names and date of birth but different NHS numbers", () => {
    // Prepare
    const links = new Links();

    // Act
    const one = links.submit({ ...AMY, nhsNumber: "9434765919" });
    const other = links.submit({ ...AMY, nhsNumber: "9434765080" });
    const oneAgain = links.submit({ ...AMY, nhsNumber: "9434765919" });
    const otherAgain = links.submit({ ...AMY, nhsNumber: "9434765080" });

    // Assess
    expect(other).not.toBe(one);
    expect(oneAgain).toBe(one);
    expect(otherAgain).toBe(other);
  });

  it("keeps the first id of a child first seen without an NHS number when a later concern adds one", () => {
    // Prepare
    const links = new Links();
    const withoutNumber = links.submit(AMY);

    // Act
    const withNumber = links.submit({ ...AMY, nhsNumber: "9434765919" });
    const misspeltLater = links.submit({ ...AMY, familyName: "Exampel", nhsNumber: "9434765919" });
    const withoutAgain = links.submit(AMY);

    // Assess
    expect(withNumber).toBe(withoutNumber);
    expect(misspeltLater).toBe(withoutNumber);
    expect(withoutAgain).toBe(withoutNumber);
  });

  it("does not let a second NHS number take over the name id the first one holds", () => {
    // Prepare: Amy seen without a number, then with hers.
    const links = new Links();
    const amy = links.submit(AMY);
    links.submit({ ...AMY, nhsNumber: "9434765919" });

    // Act: another child with the same names and date of birth and her own number.
    const namesake = links.submit({ ...AMY, nhsNumber: "9434765080" });

    // Assess
    expect(namesake).not.toBe(amy);
    expect(namesake).toMatch(/^subj_[A-Za-z0-9_-]{32}$/);
  });

  it("keeps the NHS number out of the id and the link keys", () => {
    // Act
    const keys = subjectKeys(KEY, { ...AMY, nhsNumber: "9434765919" });

    // Assess
    expect(JSON.stringify(keys)).not.toContain("9434765919");
    expect(keys.nhsId).not.toBe(keys.nameId);
    expect(subjectKeys(KEY, { ...AMY, nhsNumber: "943 476 5919" })).toEqual(keys);
  });
});
