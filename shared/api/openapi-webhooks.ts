import { WebhookPayloadSchema } from "./schemas.js";

const WEBHOOK_VERIFICATION =
  "Lantern signs every push as the Standard Webhooks specification says. Headers: `webhook-id` (unique per message, " +
  "the same on every retry: use it to drop duplicates), `webhook-timestamp` (Unix seconds: refuse one more than 5 " +
  "minutes from your clock), `webhook-signature` (`v1,<base64>`; during a secret rotation two, separated by a space: " +
  "accept if any matches). The signature is base64 HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{raw body}`, " +
  "keyed with the base64-decoded part of your secret after `whsec_`. Compare in constant time. Answer 2xx within " +
  "15 s; anything else is retried at about 5 s, 1 min, 5 min, 30 min, 2 h, 5 h and 10 h after the first attempt.";

/** The pushes a partner receives, as OpenAPI 3.1 `webhooks`: what to verify and what each message holds. */
export function webhooks() {
  const message = (type: string, summary: string) => ({
    post: {
      summary,
      description: WEBHOOK_VERIFICATION,
      parameters: [
        { name: "webhook-id", in: "header", required: true, schema: { type: "string" } },
        { name: "webhook-timestamp", in: "header", required: true, schema: { type: "string" } },
        { name: "webhook-signature", in: "header", required: true, schema: { type: "string" } },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/WebhookPayload" },
            example: {
              type,
              timestamp: "2026-11-20T21:52:11.000Z",
              data: {
                notificationId: "ntf_6b37d16e-075d-40a6-82f2-99cc49327dac",
                dueBy: "2026-11-23T09:00:00.000Z",
                href: "/v1/notifications/ntf_6b37d16e-075d-40a6-82f2-99cc49327dac",
              },
            },
          },
        },
      },
      responses: { "2XX": { description: "Received. Any other answer, or none in 15 s, is retried." } },
    },
  });
  void WebhookPayloadSchema; // the component the messages refer to
  return {
    "notification.created": message("notification.created", "A notification for your partner was created"),
    "notification.overdue": message(
      "notification.overdue",
      "A notification for your partner passed its due time unacknowledged",
    ),
    "notification.recalled": message(
      "notification.recalled",
      "A notification for your partner was recalled: delete any copy; GET href answers 410",
    ),
  };
}
