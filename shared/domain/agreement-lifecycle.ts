import type { Agreement, AgreementCreate, AgreementTerms, AgreementVersion } from "./registry.js";
import type { AgreementStatus } from "./vocabulary.js";

/**
 * The life of a data-sharing agreement, pure. Terms are fixed once a version has been
 * active: changes go into a new draft version. Status moves:
 *
 *   draft ──activate──▶ active ──suspend──▶ suspended ──activate──▶ active
 *   draft | active | suspended ──revoke──▶ revoked        (final)
 *   active ──(another version activated)──▶ superseded     (final)
 */

export type LifecycleAction = "activate" | "suspend" | "revoke";

export interface StatusChange {
  version: number;
  from: AgreementStatus;
  to: AgreementStatus;
}

export type LifecycleResult =
  | { ok: true; agreement: Agreement; changes: StatusChange[] }
  | { ok: false; problem: "no_such_version" | "not_allowed"; detail: string };

const ALLOWED_FROM: Record<LifecycleAction, readonly AgreementStatus[]> = {
  activate: ["draft", "suspended"],
  suspend: ["active"],
  revoke: ["draft", "active", "suspended"],
};
const TARGET: Record<LifecycleAction, AgreementStatus> = {
  activate: "active",
  suspend: "suspended",
  revoke: "revoked",
};

function versionFrom(version: number, terms: AgreementTerms, now: string): AgreementVersion {
  return {
    version,
    status: "draft",
    title: terms.title,
    purposes: terms.purposes,
    lawfulBasis: terms.lawfulBasis,
    concernTypes: terms.concernTypes,
    dataCategories: terms.dataCategories,
    ageRange: terms.ageRange,
    areas: terms.areas,
    validFrom: new Date(terms.validFrom).toISOString(),
    validTo: new Date(terms.validTo).toISOString(),
    retentionDays: terms.retentionDays,
    createdAt: now,
    statusChangedAt: now,
  };
}

/** A new agreement: version 1 as a draft, which authorises nothing until it is activated. */
export function createAgreement(input: AgreementCreate, now: string): Agreement {
  const { id, discloserId, recipientId, ...terms } = input;
  return { id, title: terms.title, discloserId, recipientId, versions: [versionFrom(1, terms, now)] };
}

export function addVersion(agreement: Agreement, terms: AgreementTerms, now: string): Agreement {
  const next = Math.max(0, ...agreement.versions.map((v) => v.version)) + 1;
  return {
    ...agreement,
    title: terms.title,
    versions: [...agreement.versions, versionFrom(next, terms, now)],
  };
}

/** Change a draft's terms; any version that is or was active refuses. */
export function updateDraft(
  agreement: Agreement,
  version: number,
  terms: AgreementTerms,
  now: string,
): LifecycleResult {
  const current = agreement.versions.find((v) => v.version === version);
  if (!current)
    return { ok: false, problem: "no_such_version", detail: `Version ${version} does not exist.` };
  if (current.status !== "draft") {
    return {
      ok: false,
      problem: "not_allowed",
      detail: `Version ${version} is ${current.status}: its terms never change. Create a new version instead.`,
    };
  }
  const replaced = { ...versionFrom(version, terms, now), createdAt: current.createdAt };
  return {
    ok: true,
    agreement: {
      ...agreement,
      versions: agreement.versions.map((v) => (v.version === version ? replaced : v)),
    },
    changes: [],
  };
}

export function changeStatus(
  agreement: Agreement,
  version: number,
  action: LifecycleAction,
  now: string,
): LifecycleResult {
  const target = agreement.versions.find((v) => v.version === version);
  if (!target) return { ok: false, problem: "no_such_version", detail: `Version ${version} does not exist.` };
  if (!ALLOWED_FROM[action].includes(target.status)) {
    return {
      ok: false,
      problem: "not_allowed",
      detail: `A ${target.status} version cannot be ${TARGET[action]}.`,
    };
  }
  const changes: StatusChange[] = [{ version, from: target.status, to: TARGET[action] }];
  if (action === "activate") {
    for (const v of agreement.versions) {
      if (v.status === "active" && v.version !== version)
        changes.push({ version: v.version, from: "active", to: "superseded" });
    }
  }
  const versions = agreement.versions.map((v) => {
    const change = changes.find((c) => c.version === v.version);
    return change ? { ...v, status: change.to, statusChangedAt: now } : v;
  });
  return { ok: true, agreement: { ...agreement, versions }, changes };
}

/** The terms of a version, as a draft patch is applied to them. */
export function termsOf(v: AgreementVersion, fallbackTitle: string): AgreementTerms {
  return {
    title: v.title ?? fallbackTitle,
    purposes: v.purposes,
    lawfulBasis: v.lawfulBasis,
    concernTypes: v.concernTypes,
    dataCategories: v.dataCategories,
    ageRange: v.ageRange,
    areas: v.areas,
    validFrom: v.validFrom,
    validTo: v.validTo,
    retentionDays: v.retentionDays,
  };
}
