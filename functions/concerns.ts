import { concernsGroup } from "../shared/api/groups/concerns.js";
import { readConcern } from "../shared/app/concerns.js";
import { submitConcern } from "../shared/app/submit-concern.js";
import { listEscalations } from "../shared/app/timeliness.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { idempotencyKey } from "../shared/http/request.js";
import { wired } from "./wiring.js";

/** Lambda entry point for the police-facing routes. */
const w = wired();
// Read once per cold start (Secrets Manager on AWS), before the first request.
const subjectKey = await w.subjectKey();
const deps = { ...w, subjectKey };

export const handler = createHttpHandler(
  concernsGroup,
  {
    async submitConcern({ caller, body, headers }) {
      // A first answer or its replay: either way the 201 receipt that was stored.
      const { body: receipt } = await submitConcern(deps, caller, body, idempotencyKey(headers));
      return { status: 201, body: receipt, headers: { Location: `/v1/concerns/${receipt.id}` } };
    },
    async listEscalations({ caller, query }) {
      return {
        status: 200,
        body: await listEscalations(w, caller, query.cursor, query.limit ?? 25),
      };
    },
    async readConcern({ caller, params }) {
      return { status: 200, body: await readConcern(w.concerns, caller, params.id) };
    },
  },
  w.http,
);
