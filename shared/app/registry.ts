import type { Partner } from "../domain/registry.js";
import { conflict, notFound, validationFailed } from "../errors.js";
import type { PartnerRecord, WebhookOwner } from "../ports.js";
import type { Caller } from "./context.js";
import { withoutContactDetailsUnlessEntitled } from "./key-adults.js";
import { checkWebhook, contactSecretsChange, freshSecrets, rotatedSecrets } from "./partner-webhooks.js";
import { changeEvent, type RegistryDeps } from "./registry-change.js";
import { checkPartnerFits } from "./transaction-limit.js";
import { pick } from "./views.js";

// Agreements, routing rules and calendars have modules of their own; importers find them here.
export * from "./agreement-admin.js";
export { newWebhookSecret, WEBHOOK_ROTATION_OVERLAP_MS } from "./partner-webhooks.js";
export type { RegistryDeps } from "./registry-change.js";
export * from "./routing-admin.js";

export function presentPartner(p: PartnerRecord) {
  return {
    ...pick(p, ["id", "name", "type", "areas", "clientIds"]),
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
  await checkPartnerFits(deps, partner);
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
  await checkPartnerFits(deps, next);
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
