import { describe, expect, it } from "vitest";
import { samples, schemas } from "../../events/index.js";
import { matchRoute } from "../../shared/api/routes.js";
import { verifyShard } from "../../shared/domain/audit.js";
import { ConcernSubmissionSchema } from "../../shared/domain/concern.js";

describe("the sample events", () => {
  it("an API Gateway event that reaches the submit route with a body the hub accepts", () => {
    const event = samples.submitConcernApiGatewayEvent();
    const matched = matchRoute(event.httpMethod, event.path);
    expect(matched && "route" in matched ? matched.route.operationId : null).toBe("submitConcern");
    expect(ConcernSubmissionSchema.safeParse(JSON.parse(event.body ?? "")).success).toBe(true);
  });

  it("a push message of the documented shape, with nothing about the child", () => {
    const body = samples.webhookNotificationCreated();
    expect(schemas.webhookPayload.safeParse(body).success).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/Amy|Example/);
  });

  it("an audit event with every member, correctly hashed", () => {
    const event = samples.disclosureAuditEvent();
    if (!event) throw new Error("no sample");
    expect(schemas.auditEvent.safeParse(event).success).toBe(true);
    expect(verifyShard(0, [event])).toEqual([]);
  });
});
