import type { WebhookSender } from "../ports.js";

/** POST with a bounded wait; the answer's body is never read (it is the partner's business). */
export const fetchSender: WebhookSender = async (url, headers, body, timeoutMs) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Lantern-Webhooks/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status, error: null };
  } catch (error: unknown) {
    const name = error instanceof Error ? error.name : "Error";
    return { status: null, error: name === "TimeoutError" ? "timeout" : "no_answer" };
  }
};
