import type { NotifyClient } from "notifications-node-client";
import type { AlertSender } from "../ports.js";
import { NOTIFY_PRODUCTION_URL } from "./notify-config.js";

/** How long one send may wait for Notify before it counts as no answer (and is retried). */
export const NOTIFY_TIMEOUT_MS = 15_000;

interface AxiosLikeError {
  response?: { status?: number; data?: { errors?: { error?: unknown }[] } };
  code?: unknown;
}

/**
 * Notify's answer as an attempt records it: the status and Notify's error class (e.g.
 * `BadRequestError`), never its message, which may quote what was sent.
 */
function failureOf(error: unknown): { status: number | null; error: string } {
  const e = (typeof error === "object" && error !== null ? error : {}) as AxiosLikeError;
  const status = e.response?.status;
  if (typeof status === "number") {
    const kind = e.response?.data?.errors?.[0]?.error;
    const name = typeof kind === "string" && /^[A-Za-z]{1,64}$/.test(kind) ? `: ${kind}` : "";
    return { status, error: `notify_${status}${name}` };
  }
  return { status: null, error: e.code === "ECONNABORTED" ? "timeout" : "no_answer" };
}

/**
 * Notify's client brings axios, jsonwebtoken and form-data (~250 KiB of module, and axios
 * looks up `fetch`, which makes Node load undici): it is loaded on the first send, so a
 * function that only queues alerts never pays for it at its cold start.
 */
async function notifyClient(baseUrl: string, apiKey: string): Promise<NotifyClient> {
  const { NotifyClient } = await import("notifications-node-client");
  const client = new NotifyClient(baseUrl, apiKey);
  // The client waits for ever by default; bound each request like a webhook's.
  const rest = client.apiClient.restClient as (config: object) => Promise<unknown>;
  client.setClient(((config: object) => rest({ ...config, timeout: NOTIFY_TIMEOUT_MS })) as never);
  return client;
}

/**
 * Sends alerts with GOV.UK Notify's own client. Every failure comes back as an attempt's
 * error, never as a throw, and nothing of the address or the error's text is kept.
 */
export function notifySender(options: { apiKey: string; baseUrl?: string | undefined }): AlertSender {
  let client: Promise<NotifyClient> | undefined;
  return async (message) => {
    try {
      // A client that failed to load is loaded again at the next attempt.
      client ??= notifyClient(options.baseUrl || NOTIFY_PRODUCTION_URL, options.apiKey).catch((e) => {
        client = undefined;
        throw e;
      });
      const notify = await client;
      const sent = { personalisation: message.personalisation, reference: message.reference };
      const response =
        message.channel === "email"
          ? await notify.sendEmail(message.templateId, message.to, sent)
          : await notify.sendSms(message.templateId, message.to, sent);
      const id = (response.data as { id?: unknown } | undefined)?.id;
      return { status: response.status, error: null, notifyId: typeof id === "string" ? id : null };
    } catch (error: unknown) {
      return { ...failureOf(error), notifyId: null };
    }
  };
}
