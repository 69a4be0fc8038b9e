import {
  addVersion,
  changeStatus,
  createAgreement,
  type LifecycleAction,
  type LifecycleResult,
  termsOf,
  updateDraft,
} from "../domain/agreement-lifecycle.js";
import type { Calendar } from "../domain/calendar.js";
import { coverage } from "../domain/coverage.js";
import {
  type Agreement,
  type AgreementCreate,
  type AgreementTerms,
  AgreementTermsSchema,
  type Partner,
  type RoutingRule,
} from "../domain/registry.js";
import { dueTimeProblems, validateRules } from "../domain/routing-validation.js";
import { parseDuration } from "../domain/time.js";
import type { HostResolver } from "../domain/webhook-destination.js";
import { badRequest, conflict, type FieldError, notFound, validationFailed } from "../errors.js";
import type { Clock, Ids, PartnerRecord, RegistryStore, WebhookOwner } from "../ports.js";
import { actorOf, auditDraft, type Caller } from "./context.js";
import { withoutContactDetailsUnlessEntitled } from "./key-adults.js";
import { checkWebhook, contactSecretsChange, freshSecrets, rotatedSecrets } from "./partner-webhooks.js";

export { newWebhookSecret, WEBHOOK_ROTATION_OVERLAP_MS } from "./partner-webhooks.js";

/**
 * Information governance runs Lantern's policy through these: partners, data-sharing
 * agreements and routing rules. Every change commits with its `*_changed` audit event.
 */
export interface RegistryDeps {
  clock: Clock;
  ids: Ids;
  registry: RegistryStore;
  webhookHttpsOnly: boolean;
  /** Resolves webhook hosts to check where they lead (https-only mode). */
  resolveHost: HostResolver;
}

function changeEvent(
  deps: RegistryDeps,
  caller: Caller,
  at: string,
  action: "partner_changed" | "agreement_changed" | "routing_changed",
  target: { kind: string; id: string },
  reason: string,
  agreement: { id: string; version: number } | null = null,
) {
  return auditDraft({
    id: deps.ids.next("evt"),
    at,
    action,
    actor: actorOf(caller),
    target,
    reason,
    agreement,
    requestId: caller.requestId,
  });
}

export function presentPartner(p: PartnerRecord) {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    areas: p.areas,
    clientIds: p.clientIds,
    governance: p.governance ?? false,
    webhook: p.webhook ?? null,
    escalationContact: p.escalationContact ?? null,
    ...schoolDay(p),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** A school's own day and Key Adults, shown only where set (other partners have none). */
function schoolDay(p: Partner) {
  return {
    ...(p.schoolDayStartsAt !== undefined ? { schoolDayStartsAt: p.schoolDayStartsAt } : {}),
    ...(p.closures !== undefined ? { closures: p.closures } : {}),
    ...(p.keyAdults !== undefined ? { keyAdults: p.keyAdults } : {}),
  };
}

/** Apply a patch's school members (`null` removes one); only a school may have them. */
function patchSchoolDay(partner: PartnerRecord, patch: PartnerPatch): PartnerRecord {
  const next: PartnerRecord = { ...partner };
  const errors: { path: string; message: string }[] = [];
  for (const member of ["schoolDayStartsAt", "closures", "keyAdults"] as const) {
    const value = patch[member];
    if (value === undefined) continue;
    if (value === null) {
      delete next[member];
      continue;
    }
    if (partner.type !== "school")
      errors.push({ path: `/${member}`, message: "is for school partners only" });
    Object.assign(next, { [member]: value });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return next;
}

export async function registerPartner(deps: RegistryDeps, caller: Caller, input: Partner) {
  await checkWebhook(deps, input.webhook);
  await checkWebhook(deps, input.escalationContact?.webhook, "/escalationContact/webhook/url");
  const at = deps.clock.now().toISOString();
  const partner: PartnerRecord = {
    ...input,
    webhook: input.webhook ?? null,
    clientIds: [...new Set(input.clientIds)],
    createdAt: at,
    updatedAt: at,
  };
  // The partner and its escalation contact each get their own secret, shown once here: a
  // contact holding the partner's secret could forge messages to the partner.
  const secrets = partner.webhook ? freshSecrets() : null;
  const contactSecrets = partner.escalationContact?.webhook ? freshSecrets() : null;
  const result = await deps.registry.createPartner(
    partner,
    secrets,
    [changeEvent(deps, caller, at, "partner_changed", { kind: "partner", id: partner.id }, "registered")],
    contactSecrets,
  );
  if (result === "id_taken") throw conflict(`A partner with id ${partner.id} is already registered.`);
  if (result === "client_taken")
    throw conflict("One of these client ids already belongs to another partner.");
  return {
    ...presentPartner(partner),
    ...(secrets ? { webhookSecret: secrets.current } : {}),
    ...(contactSecrets ? { escalationContactWebhookSecret: contactSecrets.current } : {}),
  };
}

export interface PartnerPatch {
  name?: string | undefined;
  areas?: string[] | undefined;
  clientIds?: string[] | undefined;
  governance?: boolean | undefined;
  webhook?: Partner["webhook"];
  escalationContact?: Partner["escalationContact"];
  schoolDayStartsAt?: string | null | undefined;
  closures?: string[] | null | undefined;
  keyAdults?: Partner["keyAdults"] | null;
}

/** Granting or taking away governance is named in the trail: it decides who may administer the hub. */
function changeReason(previous: Partner, next: Partner): string {
  if ((previous.governance ?? false) === (next.governance ?? false)) return "updated";
  return next.governance ? "governance_granted" : "governance_revoked";
}

export async function updatePartner(deps: RegistryDeps, caller: Caller, id: string, patch: PartnerPatch) {
  const previous = await deps.registry.getPartner(id);
  if (!previous) throw notFound("No such partner.");
  // IG cannot lock itself out: another governance partner must take its governance away.
  if (id === caller.partner.id && patch.governance === false)
    throw conflict("A partner cannot take away its own governance.");
  await checkWebhook(deps, patch.webhook);
  await checkWebhook(deps, patch.escalationContact?.webhook, "/escalationContact/webhook/url");
  const at = deps.clock.now().toISOString();
  const next: PartnerRecord = {
    ...patchSchoolDay(previous.value, patch),
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.areas !== undefined ? { areas: patch.areas } : {}),
    ...(patch.clientIds !== undefined ? { clientIds: [...new Set(patch.clientIds)] } : {}),
    ...(patch.governance !== undefined ? { governance: patch.governance } : {}),
    ...(patch.webhook !== undefined ? { webhook: patch.webhook } : {}),
    ...(patch.escalationContact !== undefined ? { escalationContact: patch.escalationContact } : {}),
    updatedAt: at,
  };
  // A secret is made, and shown once, when a partner (or its escalation contact) first gets a
  // webhook; changing the URL keeps the secret already held (rotate it with webhook-secret).
  const secrets = next.webhook && !(await deps.registry.webhookSecrets(id)) ? freshSecrets() : null;
  const contactSecrets = await contactSecretsChange(deps, id, previous.value, next);
  const result = await deps.registry.updatePartner(
    previous,
    next,
    secrets,
    [
      changeEvent(
        deps,
        caller,
        at,
        "partner_changed",
        { kind: "partner", id },
        changeReason(previous.value, next),
      ),
    ],
    contactSecrets,
  );
  if (result === "conflict")
    throw conflict("The partner changed while it was being updated; read it and try again.");
  if (result === "client_taken")
    throw conflict("One of these client ids already belongs to another partner.");
  return {
    ...presentPartner(next),
    ...(secrets ? { webhookSecret: secrets.current } : {}),
    ...(contactSecrets && contactSecrets !== "remove"
      ? { escalationContactWebhookSecret: contactSecrets.current }
      : {}),
  };
}

/** A new secret; the old one keeps signing beside it for 24 hours so receivers can switch over. */
export function rotateWebhookSecret(deps: RegistryDeps, caller: Caller, id: string) {
  return rotate(deps, caller, id, "partner");
}

/** The same for the escalation contact's own secret (the partner's is untouched). */
export function rotateEscalationContactWebhookSecret(deps: RegistryDeps, caller: Caller, id: string) {
  return rotate(deps, caller, id, "escalation_contact");
}

async function rotate(deps: RegistryDeps, caller: Caller, id: string, owner: WebhookOwner) {
  const partner = await deps.registry.getPartner(id);
  if (!partner) throw notFound("No such partner.");
  if (owner === "partner" && !partner.value.webhook)
    throw conflict("This partner has no webhook: set one with PATCH first.");
  if (owner === "escalation_contact" && !partner.value.escalationContact?.webhook)
    throw conflict("This partner's escalation contact has no webhook: set one with PATCH first.");
  const now = deps.clock.now();
  const at = now.toISOString();
  const secrets = rotatedSecrets(await deps.registry.webhookSecrets(id, owner), now);
  const reason = owner === "partner" ? "webhook_secret_rotated" : "escalation_contact_webhook_secret_rotated";
  const events = [changeEvent(deps, caller, at, "partner_changed", { kind: "partner", id }, reason)];
  const result =
    owner === "partner"
      ? await deps.registry.updatePartner(partner, { ...partner.value, updatedAt: at }, secrets, events)
      : await deps.registry.updatePartner(
          partner,
          { ...partner.value, updatedAt: at },
          null,
          events,
          secrets,
        );
  if (result !== "ok") throw conflict("The partner changed while its secret was being rotated; try again.");
  return { webhookSecret: secrets.current, previousSecretValidUntil: secrets.previousValidUntil };
}

export async function readPartner(deps: RegistryDeps, id: string, caller: Caller) {
  const found = await deps.registry.getPartner(id);
  if (!found) throw notFound("No such partner.");
  return withoutContactDetailsUnlessEntitled(caller.partner, presentPartner(found.value));
}

export async function listPartners(deps: RegistryDeps, caller: Caller) {
  const partners = (await deps.registry.listPartners()) as PartnerRecord[];
  const items = partners
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p) => withoutContactDetailsUnlessEntitled(caller.partner, presentPartner(p)));
  return { items, nextCursor: null };
}

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

export async function readRoutingRules(deps: RegistryDeps) {
  return { rules: (await deps.registry.routingRuleSet()).value };
}

export async function replaceRoutingRules(deps: RegistryDeps, caller: Caller, rules: RoutingRule[]) {
  const partners = await deps.registry.listPartners();
  const areas = [...new Set(partners.flatMap((p) => p.areas))];
  const calendars = await Promise.all(areas.map(async (area) => (await deps.registry.calendar(area)).value));
  const problems = validateRules(rules, partners);
  if (problems.length === 0) problems.push(...dueTimeProblems(rules, calendars, deps.clock.now()));
  if (problems.length > 0)
    throw validationFailed(problems, "The routing rules are not valid; the rules in force are unchanged.");
  const current = await deps.registry.routingRuleSet();
  const at = deps.clock.now().toISOString();
  const result = await deps.registry.replaceRoutingRules(rules, current.revision, [
    changeEvent(
      deps,
      caller,
      at,
      "routing_changed",
      { kind: "routing_rules", id: "all" },
      `replaced_${rules.length}_rules`,
    ),
  ]);
  if (result === "conflict")
    throw conflict("The routing rules changed while these were being saved; read them and try again.");
  return { rules };
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

export async function readCalendar(deps: RegistryDeps, area: string) {
  return (await deps.registry.calendar(area)).value;
}

/** Bank holidays, school holidays and working hours of an area: policy data, audited like rules. */
export async function replaceCalendar(
  deps: RegistryDeps,
  caller: Caller,
  area: string,
  terms: Omit<Calendar, "area">,
) {
  const current = await deps.registry.calendar(area);
  const at = deps.clock.now().toISOString();
  const calendar: Calendar = {
    area,
    holidays: [...new Set(terms.holidays)].sort(),
    schoolHolidays: [...new Set(terms.schoolHolidays)].sort(),
    workingHours: terms.workingHours,
  };
  // A calendar on which a rule's due time cannot be computed would fail submissions: refuse it.
  const problems = dueTimeProblems(await deps.registry.routingRules(), [calendar], deps.clock.now());
  if (problems.length > 0) {
    throw validationFailed(
      problems.map((p) => ({ path: "/workingHours", message: `routing ${p.path.slice(1)}: ${p.message}` })),
      "The routing rules in force could not compute their due times on this calendar; it is unchanged.",
    );
  }
  const result = await deps.registry.replaceCalendar(calendar, current.revision, [
    changeEvent(deps, caller, at, "routing_changed", { kind: "calendar", id: area }, "calendar_replaced"),
  ]);
  if (result === "conflict")
    throw conflict("The calendar changed while this was being saved; read it and try again.");
  return calendar;
}
