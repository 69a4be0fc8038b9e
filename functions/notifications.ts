import { acknowledge, listInbox, openNotification, recordOutcome } from "../shared/app/notifications.js";
import { listDeliveries, redeliver } from "../shared/app/timeliness.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { wired } from "./wiring.js";

/** Lambda entry point for the partners' inbox. */
const w = wired();
const deps = { clock: w.clock, ids: w.ids, notifications: w.concerns };
const timeliness = { ...w, notifications: w.concerns };

export const handler = createHttpHandler<
  | "listNotifications"
  | "openNotification"
  | "acknowledgeNotification"
  | "recordOutcome"
  | "listDeliveries"
  | "redeliver"
>(
  {
    async listNotifications({ caller, query }) {
      return {
        status: 200,
        body: await listInbox(deps, caller, query.status, query.cursor, query.limit ?? 25),
      };
    },
    async listDeliveries({ caller, params }) {
      return { status: 200, body: await listDeliveries(timeliness, caller, params.id) };
    },
    async redeliver({ caller, params }) {
      return { status: 202, body: await redeliver(timeliness, caller, params.id) };
    },
    async openNotification({ caller, params }) {
      return { status: 200, body: await openNotification(deps, caller, params.id) };
    },
    async acknowledgeNotification({ caller, params }) {
      return { status: 200, body: await acknowledge(deps, caller, params.id) };
    },
    async recordOutcome({ caller, params, body }) {
      return { status: 200, body: await recordOutcome(deps, caller, params.id, body.outcome, body.note) };
    },
  },
  w.http,
);
