import type { HostResolver } from "../domain/webhook-destination.js";
import type { Clock, Ids, RegistryStore } from "../ports.js";
import { actorOf, auditDraft, type Caller } from "./context.js";

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

/** The `*_changed` audit event that commits with a change to the registry. */
export function changeEvent(
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
