import {
  addVersion,
  changeStatus,
  createAgreement,
  type LifecycleAction,
  type LifecycleResult,
  termsOf,
  updateDraft,
} from "../domain/agreement-lifecycle.js";
import { coverage } from "../domain/coverage.js";
import {
  type Agreement,
  type AgreementCreate,
  type AgreementTerms,
  AgreementTermsSchema,
} from "../domain/registry.js";
import { parseDuration } from "../domain/time.js";
import { badRequest, conflict, type FieldError, notFound, validationFailed } from "../errors.js";
import type { Caller } from "./context.js";
import { changeEvent, type RegistryDeps } from "./registry-change.js";

/** IG's agreements: drafts, versions, their lifecycle, and where sharing has no footing. */

async function checkParties(deps: RegistryDeps, discloserId: string, recipientId: string): Promise<void> {
  const [discloser, recipient] = await Promise.all([
    deps.registry.getPartner(discloserId),
    deps.registry.getPartner(recipientId),
  ]);
  const errors: FieldError[] = [];
  if (!discloser) errors.push({ path: "/discloserId", message: `no partner ${discloserId} is registered` });
  if (!recipient) errors.push({ path: "/recipientId", message: `no partner ${recipientId} is registered` });
  if (discloserId === recipientId)
    errors.push({ path: "/recipientId", message: "must differ from the discloser" });
  if (errors.length > 0) throw validationFailed(errors);
}

export async function createNewAgreement(deps: RegistryDeps, caller: Caller, input: AgreementCreate) {
  await checkParties(deps, input.discloserId, input.recipientId);
  const at = deps.clock.now().toISOString();
  const agreement = createAgreement(input, at);
  const result = await deps.registry.createAgreement(agreement, [
    changeEvent(
      deps,
      caller,
      at,
      "agreement_changed",
      { kind: "agreement", id: agreement.id },
      "created_draft",
      { id: agreement.id, version: 1 },
    ),
  ]);
  if (result === "id_taken") throw conflict(`An agreement with id ${agreement.id} already exists.`);
  return agreement;
}

async function loadAgreement(deps: RegistryDeps, id: string) {
  const found = await deps.registry.getAgreement(id);
  if (!found) throw notFound("No such agreement.");
  return found;
}

export async function readAgreement(deps: RegistryDeps, id: string): Promise<Agreement> {
  return (await loadAgreement(deps, id)).value;
}

export async function listAgreements(deps: RegistryDeps) {
  const agreements = await deps.registry.listAgreements();
  return { items: agreements.sort((a, b) => a.id.localeCompare(b.id)), nextCursor: null };
}

/** Apply a change to the latest revision; two IG officers at once: the second one retries on fresh data. */
async function changeAgreement(
  deps: RegistryDeps,
  caller: Caller,
  id: string,
  change: (agreement: Agreement, at: string) => LifecycleResult & { reason?: string },
): Promise<Agreement> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await loadAgreement(deps, id);
    const at = deps.clock.now().toISOString();
    const result = change(current.value, at);
    if (!result.ok) {
      if (result.problem === "no_such_version") throw notFound(result.detail);
      throw conflict(result.detail);
    }
    const events = result.changes.map((c) =>
      changeEvent(deps, caller, at, "agreement_changed", { kind: "agreement", id }, `${c.from}_to_${c.to}`, {
        id,
        version: c.version,
      }),
    );
    if (events.length === 0) {
      const newest = Math.max(...result.agreement.versions.map((v) => v.version));
      events.push(
        changeEvent(
          deps,
          caller,
          at,
          "agreement_changed",
          { kind: "agreement", id },
          result.reason ?? "changed",
          { id, version: newest },
        ),
      );
    }
    if ((await deps.registry.saveAgreement(result.agreement, current.revision, events)) === "ok")
      return result.agreement;
  }
  throw conflict("The agreement is changing under heavy contention; try again.");
}

export function addAgreementVersion(deps: RegistryDeps, caller: Caller, id: string, terms: AgreementTerms) {
  return changeAgreement(deps, caller, id, (agreement, at) => ({
    ok: true,
    agreement: addVersion(agreement, terms, at),
    changes: [],
    reason: "version_created_draft",
  }));
}

export function changeAgreementStatus(
  deps: RegistryDeps,
  caller: Caller,
  id: string,
  version: number,
  action: LifecycleAction,
) {
  return changeAgreement(deps, caller, id, (agreement, at) => changeStatus(agreement, version, action, at));
}

export function amendDraft(
  deps: RegistryDeps,
  caller: Caller,
  id: string,
  version: number,
  patch: Partial<AgreementTerms>,
) {
  return changeAgreement(deps, caller, id, (agreement, at) => {
    const current = agreement.versions.find((v) => v.version === version);
    if (!current)
      return { ok: false, problem: "no_such_version", detail: `Version ${version} does not exist.` };
    const merged = AgreementTermsSchema.safeParse({ ...termsOf(current, agreement.title), ...patch });
    if (!merged.success)
      throw validationFailed(
        merged.error.issues.map((i) => ({ path: `/${i.path.join("/")}`, message: i.message })),
      );
    return { ...updateDraft(agreement, version, merged.data, at), reason: "draft_amended" };
  });
}

export async function agreementCoverage(deps: RegistryDeps, within: string | undefined) {
  const window = within ?? "P30D";
  const withinMs = parseDuration(window);
  if (withinMs === null) throw badRequest("within must be an ISO 8601 duration such as P30D.");
  const [rules, partners, agreements] = await Promise.all([
    deps.registry.routingRules(),
    deps.registry.listPartners(),
    deps.registry.listAgreements(),
  ]);
  const now = deps.clock.now();
  return {
    generatedAt: now.toISOString(),
    within: window,
    items: coverage(rules, partners, agreements, now, withinMs),
  };
}
