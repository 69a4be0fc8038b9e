import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { AuditEventSchema, WebhookPayloadSchema } from "../shared/api/schemas.js";
import { chain, GENESIS_HASH } from "../shared/domain/audit.js";

/**
 * Lantern's events, as other systems see them: the API Gateway event a handler receives, the
 * push message a partner receives, and an audit event as an auditor exports it. The schemas
 * are the same zod schemas the hub validates and documents with; the samples are checked
 * against them in test/unit/events.test.ts, so they cannot drift.
 */
export const schemas = { webhookPayload: WebhookPayloadSchema, auditEvent: AuditEventSchema };

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./samples/${name}`, import.meta.url)), "utf8"));

export const samples = {
  submitConcernApiGatewayEvent: () => sample("submit-concern.apigw.json") as APIGatewayProxyEvent,
  webhookNotificationCreated: () => sample("webhook-notification-created.json"),
  /** A disclosure event as the first link of a shard, hashed as the contract says. */
  disclosureAuditEvent: () =>
    chain(
      [
        {
          id: "evt_0b6f4d1e-9a53-4a43-8f0e-2f3d2a1c9b11",
          at: "2026-11-20T21:52:10.619Z",
          action: "disclosure",
          actor: { partnerId: "essex-police", sub: "pc-1234", clientId: "essex-police-app" },
          subjectId: "subj_IaPbWXhr2vJkCDKPK9Wk5loQGoRnjUvp",
          concernId: "con_7190faa5-1360-4d93-85f7-bd0d100e9fa4",
          notificationId: "ntf_6b37d16e-075d-40a6-82f2-99cc49327dac",
          recipientId: "st-marys-primary",
          agreement: { id: "encompass-st-marys", version: 1 },
          purpose: "safeguarding",
          lawfulBasis: ["UK GDPR Art. 6(1)(e)", "Children Act 2004 s11"],
          dataCategories: ["identity", "education", "voice_of_child"],
          payloadSha256: "4f1c0e3b1f0e5a9d2c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d",
          reason: null,
          target: null,
          requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        },
      ],
      { shard: 0, seq: 0, hash: GENESIS_HASH },
    )[0],
};
