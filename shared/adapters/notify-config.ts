import type { Alerts } from "../app/alerts.js";
import { ConfigurationError, ENV, required } from "../config.js";
import type { AlertSender } from "../ports.js";
import { isNotifyApiKey, NOTIFY_PRODUCTION_URL, notifySender } from "./notify-sender.js";

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
export function notifyAlerts(env: NodeJS.ProcessEnv, readSecret: SecretReader): Alerts | null {
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
  if (inline) {
    return { config, send: notifySender({ apiKey: checkedKey(inline, ENV.notifyApiKey), baseUrl }) };
  }
  let sender: Promise<AlertSender> | undefined;
  const send: AlertSender = async (message) => {
    sender ??= readSecret(arn as string).then((key) =>
      notifySender({ apiKey: checkedKey(key, ENV.notifyApiKeySecretArn), baseUrl }),
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
