import type { AuditDraft } from "../domain/audit.js";
import type { Agreement, Partner, RoutingRule } from "../domain/registry.js";
import type { Clock, Ids, RegistryStore } from "../ports.js";
import { auditDraft } from "./context.js";

/**
 * Load a registry into an empty store. Every partner, agreement and the rule set is recorded
 * as a `*_changed` event by the hub itself, so the audit trail starts with the policy in force.
 */
export async function seedRegistry(
  deps: { clock: Clock; ids: Ids; registry: RegistryStore },
  registry: { partners: Partner[]; agreements: Agreement[]; rules: RoutingRule[] },
): Promise<boolean> {
  if (!(await deps.registry.isEmpty())) return false;
  const at = deps.clock.now().toISOString();
  const event = (action: AuditDraft["action"], kind: string, id: string, reason: string): AuditDraft =>
    auditDraft({
      id: deps.ids.next("evt"),
      at,
      action,
      actor: { partnerId: null, sub: "lantern-seed", clientId: null },
      reason,
      target: { kind, id },
    });
  const events = [
    ...registry.partners.map((p) => event("partner_changed", "partner", p.id, "registered")),
    ...registry.agreements.map((a) => event("agreement_changed", "agreement", a.id, "created_active")),
    event("routing_changed", "routing_rules", "all", "replaced"),
  ];
  const partners = registry.partners.map((p) => ({ ...p, createdAt: at, updatedAt: at }));
  await deps.registry.seed({ ...registry, partners }, events);
  return true;
}
