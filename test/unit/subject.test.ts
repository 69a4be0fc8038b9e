import { describe, expect, it } from "vitest";
import { normaliseName, subjectIdFor } from "../../shared/domain/subject.js";

const KEY = "unit-test-subject-key-0123456789abcdef";
const ZOE = { givenName: "Zoë", familyName: "O'Brien", dateOfBirth: "2015-06-01" };

describe("subjectIdFor", () => {
  it("gives the same child the same id on every call", () => {
    // Prepare
    const child = { ...ZOE };

    // Act
    const first = subjectIdFor(KEY, child);
    const second = subjectIdFor(KEY, { ...child });

    // Assess
    expect(second).toBe(first);
    expect(first).toMatch(/^subj_[A-Za-z0-9_-]{32}$/);
  });

  it.each([
    ["lower case, no accent, no apostrophe", "zoe", "obrien"],
    ["upper case", "ZOË", "O'BRIEN"],
    ["spaces around and inside", "  Zoë ", "O' Brien"],
    ["a typographic apostrophe", "Zoë", "O\u2019Brien"],
    ["a hyphen instead of an apostrophe", "Zoë", "O-Brien"],
    ["a decomposed diaeresis (NFD)", "Zoe\u0308", "O'Brien"],
  ])("does not change for %s", (_label, givenName, familyName) => {
    // Prepare
    const expected = subjectIdFor(KEY, ZOE);

    // Act
    const result = subjectIdFor(KEY, { givenName, familyName, dateOfBirth: ZOE.dateOfBirth });

    // Assess
    expect(result).toBe(expected);
  });

  it("changes with a different date of birth", () => {
    // Prepare
    const twinBornNextDay = { ...ZOE, dateOfBirth: "2015-06-02" };

    // Act
    const result = subjectIdFor(KEY, twinBornNextDay);

    // Assess
    expect(result).not.toBe(subjectIdFor(KEY, ZOE));
  });

  it("changes with a different name", () => {
    // Prepare
    const sibling = { ...ZOE, givenName: "Zara" };

    // Act
    const result = subjectIdFor(KEY, sibling);

    // Assess
    expect(result).not.toBe(subjectIdFor(KEY, ZOE));
  });

  it("does not run given and family name together ('Ann Marie' + 'Smith' is not 'Ann' + 'Marie Smith')", () => {
    // Prepare
    const one = { givenName: "Ann Marie", familyName: "Smith", dateOfBirth: "2015-06-01" };
    const other = { givenName: "Ann", familyName: "Marie Smith", dateOfBirth: "2015-06-01" };

    // Act
    const ids = [subjectIdFor(KEY, one), subjectIdFor(KEY, other)];

    // Assess
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("changes with a different key, as a string or as bytes", () => {
    // Prepare
    const otherKey = "another-deployment-key-0123456789abc";
    const keyBytes = new TextEncoder().encode(KEY);

    // Act
    const withOtherKey = subjectIdFor(otherKey, ZOE);
    const withKeyBytes = subjectIdFor(keyBytes, ZOE);

    // Assess
    expect(withOtherKey).not.toBe(subjectIdFor(KEY, ZOE));
    expect(withKeyBytes).toBe(subjectIdFor(KEY, ZOE));
  });

  it("does not contain the name or the date of birth", () => {
    // Prepare
    const child = { givenName: "Amelia", familyName: "Examplesson", dateOfBirth: "2017-03-02" };

    // Act
    const id = subjectIdFor(KEY, child).toLowerCase();

    // Assess
    expect(id).not.toContain("amelia");
    expect(id).not.toContain("examplesson");
    expect(id).not.toContain("2017");
    expect(id).not.toContain("20170302");
  });
});

describe("normaliseName", () => {
  it("folds case, accents, spaces and punctuation away", () => {
    // Prepare
    const names = ["Zoë O'Brien", "zoe obrien", "ZOE-O\u2019BRIEN"];

    // Act
    const normalised = names.map(normaliseName);

    // Assess
    expect(normalised).toEqual(["zoeobrien", "zoeobrien", "zoeobrien"]);
  });
});
