import type { Alerts } from "../app/alerts.js";
import { ConfigurationError, ENV, required } from "../config.js";
import type { AlertSender } from "../ports.js";

/** GOV.UK Notify's API; drills and tests point `LANTERN_NOTIFY_BASE_URL` at a double instead. */
export const NOTIFY_PRODUCTION_URL = "https://api.notifications.service.gov.uk";

/**
 * A Notify API key is `{name}-{service id (uuid)}-{secret (uuid)}`: the client signs each
 * request with an HS256 JWT, `iss` the service id, keyed with the secret.
 */
const API_KEY =
  /^[A-Za-z0-9_-]*-?[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

export function isNotifyApiKey(key: string): boolean {
  return API_KEY.test(key);
}

/**
 * Makes the sender of a Notify key: `notifySender` (notify-sender.ts), handed in by the
 * functions that send, so the others never bundle Notify's client.
 */
export type AlertSenderFactory = (options: { apiKey: string; baseUrl: string }) => AlertSender;

/** Reads a Secrets Manager secret's value (the wiring passes the SDK call). */
export type SecretReader = (arn: string) => Promise<string>;

function checkedKey(key: string, from: string): string {
  // The message names the variable, never the value.
  if (!isNotifyApiKey(key.trim())) {
    throw new ConfigurationError(`${from} must be a GOV.UK Notify API key (name-serviceId-secret).`);
  }
  return key.trim();
}

/**
 * Alerts as the environment configures them, or null without a Notify key (then no alert is
 * queued or sent). With a key, the templates and the console's address must be set too: a
 * missing one stops the cold start naming it. Locally the key is inline; on AWS every
 * function that queues alerts is told the key's secret ARN, and only the one allowed to
 * read it sends: the secret is fetched on the first send, never at a cold start.
 */
export function notifyAlerts(
  env: NodeJS.ProcessEnv,
  readSecret: SecretReader,
  senderOf: AlertSenderFactory,
): Alerts | null {
  const inline = env[ENV.notifyApiKey];
  const arn = env[ENV.notifyApiKeySecretArn];
  if (!inline && !arn) return null;
  const baseUrl = env[ENV.notifyBaseUrl] || NOTIFY_PRODUCTION_URL;
  const config = {
    consoleUrl: required(env, ENV.consoleUrl),
    emailTemplateId: required(env, ENV.notifyEmailTemplateId),
    smsTemplateId: required(env, ENV.notifySmsTemplateId),
    notifyBaseUrl: baseUrl,
  };
  if (!/^https?:\/\//.test(config.consoleUrl)) {
    throw new ConfigurationError(`${ENV.consoleUrl} must be an http(s) URL.`);
  }
  // Checked now, so a malformed inline key stops the cold start; the sender is made on first send.
  const inlineKey = inline ? checkedKey(inline, ENV.notifyApiKey) : undefined;
  let sender: Promise<AlertSender> | undefined;
  const send: AlertSender = async (message) => {
    sender ??= (inlineKey ? Promise.resolve(inlineKey) : readSecret(arn as string)).then((key) =>
      senderOf({
        apiKey: checkedKey(key, inlineKey ? ENV.notifyApiKey : ENV.notifyApiKeySecretArn),
        baseUrl,
      }),
    );
    try {
      return (await sender)(message);
    } catch {
      // The key could not be read (or is malformed): try reading it again at the next attempt.
      sender = undefined;
      return { status: null, error: "notify_key_unavailable", notifyId: null };
    }
  };
  return { config, send };
}
