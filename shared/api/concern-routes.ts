import { ConcernSubmissionSchema } from "../domain/concern.js";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "../http/request.js";
import { AUTH_ERRORS, LOCATION } from "./common.js";
import type { RouteSpec } from "./routes.js";
import { ConcernReceiptSchema, ConcernViewSchema, IdParamsSchema } from "./schemas.js";

/** Police: submit a concern, read where it stands. */
export const concernRoutes = [
  {
    operationId: "submitConcern",
    method: "POST",
    path: "/v1/concerns",
    group: "concerns",
    scope: "concerns:submit",
    summary: "Submit a safeguarding concern",
    description:
      "Routes the concern, checks every disclosure against the recipient's data-sharing agreement, minimises each " +
      "payload to the granted categories, and commits the concern, its notifications and audit events atomically. " +
      "A submission that would write more than one transaction's 100 records (configuration is bounded when set, " +
      "so only two registry changes racing can cause it) is refused whole with 409 `transaction-limit`, nothing written.",
    tags: ["Concerns"],
    body: ConcernSubmissionSchema,
    headers: [
      {
        name: "Idempotency-Key",
        maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
        description:
          "Optional, up to 255 characters (a longer key is refused with 400, never cut short; an empty one is none). The same key with the same body answers the first response for 24 hours and creates nothing new; with another body, 409.",
      },
    ],
    responses: {
      201: {
        description: "The concern was received and routed.",
        schema: ConcernReceiptSchema,
        headers: LOCATION,
      },
    },
    errors: [400, ...AUTH_ERRORS, 409, 413, 415],
  },
  {
    operationId: "readConcern",
    method: "GET",
    path: "/v1/concerns/{id}",
    group: "concerns",
    scope: "concerns:read",
    summary: "Read a concern your partner submitted, with where each notification stands",
    tags: ["Concerns"],
    params: IdParamsSchema,
    responses: { 200: { description: "The concern.", schema: ConcernViewSchema } },
    errors: [...AUTH_ERRORS, 404],
  },
] as const satisfies readonly RouteSpec[];
