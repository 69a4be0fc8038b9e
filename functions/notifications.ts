import { notificationsGroup } from "../shared/api/groups/notifications.js";
import { acknowledge, listInbox, openNotification, recordOutcome } from "../shared/app/notifications.js";
import { listDeliveries, redeliver } from "../shared/app/timeliness.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { wired } from "./wiring.js";

/** Lambda entry point for the partners' inbox. */
const w = wired();

export const handler = createHttpHandler(
  notificationsGroup,
  {
    async listNotifications({ caller, query }) {
      return {
        status: 200,
        body: await listInbox(w, caller, query.status, query.cursor, query.limit ?? 25),
      };
    },
    async listDeliveries({ caller, params }) {
      return { status: 200, body: await listDeliveries(w, caller, params.id) };
    },
    async redeliver({ caller, params }) {
      return { status: 202, body: await redeliver(w, caller, params.id) };
    },
    async openNotification({ caller, params }) {
      return { status: 200, body: await openNotification(w, caller, params.id) };
    },
    async acknowledgeNotification({ caller, params }) {
      return { status: 200, body: await acknowledge(w, caller, params.id) };
    },
    async recordOutcome({ caller, params, body }) {
      return { status: 200, body: await recordOutcome(w, caller, params.id, body.outcome, body.note) };
    },
  },
  w.http,
);
