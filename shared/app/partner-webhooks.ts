import { randomBytes } from "node:crypto";
import { checkDestination, type HostResolver } from "../domain/webhook-destination.js";
import { validationFailed } from "../errors.js";
import type { PartnerRecord, RegistryStore, WebhookSecrets } from "../ports.js";

/** A partner's webhooks as the registry keeps them: where they may lead, and their secrets. */

export const WEBHOOK_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** `whsec_` + base64 of 32 random bytes, as the Standard Webhooks specification has it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export const freshSecrets = (): WebhookSecrets => ({
  current: newWebhookSecret(),
  previous: null,
  previousValidUntil: null,
});

/** A new current secret; the one it replaces keeps signing beside it for 24 hours. */
export function rotatedSecrets(existing: WebhookSecrets | null, now: Date): WebhookSecrets {
  return {
    current: newWebhookSecret(),
    previous: existing?.current ?? null,
    previousValidUntil: existing ? new Date(now.getTime() + WEBHOOK_ROTATION_OVERLAP_MS).toISOString() : null,
  };
}

/**
 * A webhook URL must be http(s), and with https-only it must be https and must not lead to
 * the hub's own network. A host that does not resolve yet is accepted (a partner may set up
 * its DNS after registering): every send resolves and checks it again anyway.
 */
export async function checkWebhook(
  deps: { webhookHttpsOnly: boolean; resolveHost: HostResolver },
  webhook: { url: string } | null | undefined,
  path = "/webhook/url",
): Promise<void> {
  if (!webhook) return;
  const url = new URL(webhook.url);
  const allowed = deps.webhookHttpsOnly ? ["https:"] : ["https:", "http:"];
  if (!allowed.includes(url.protocol)) {
    throw validationFailed([
      {
        path,
        message: deps.webhookHttpsOnly ? "must be an https URL" : "must be an http or https URL",
      },
    ]);
  }
  if (!deps.webhookHttpsOnly) return;
  const destination = await checkDestination(url, deps.resolveHost);
  if (!destination.ok && !destination.unresolved) {
    throw validationFailed(
      [{ path, message: `must lead to a public address: ${destination.reason}` }],
      "A webhook URL must not lead to a loopback, link-local, private or shared address.",
    );
  }
}

/** A contact newly given a webhook gets a secret; one whose webhook is taken away loses it. */
export async function contactSecretsChange(
  deps: { registry: RegistryStore },
  id: string,
  previous: PartnerRecord,
  next: PartnerRecord,
): Promise<WebhookSecrets | "remove" | null> {
  if (!next.escalationContact?.webhook) return previous.escalationContact?.webhook ? "remove" : null;
  return (await deps.registry.webhookSecrets(id, "escalation_contact")) ? null : freshSecrets();
}
