import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { emfLine } from "../shared/http/metrics.js";

/**
 * Watches the audit table's stream. Audit events are only ever appended, and no application
 * role may update or delete one, so any MODIFY or REMOVE is tampering or an operator's
 * mistake: each is counted as a CloudWatch metric (Embedded Metric Format) that an alarm
 * watches. Only the event name and the item's key are logged: the images hold personal data.
 */
export const AUDIT_MUTATION_METRIC = {
  namespace: "Lantern/Audit",
  name: "AuditEventMutations",
  dimension: "TableName",
} as const;

/** `arn:aws:dynamodb:region:account:table/NAME/stream/...` → NAME. */
function tableName(record: DynamoDBRecord): string {
  return record.eventSourceARN?.split("/")[1] ?? "unknown";
}

/** One EMF line per MODIFY or REMOVE; other records yield nothing. */
export function mutationLines(event: DynamoDBStreamEvent, now: Date): string[] {
  return event.Records.filter((r) => r.eventName === "MODIFY" || r.eventName === "REMOVE").map((record) =>
    emfLine(
      AUDIT_MUTATION_METRIC,
      1,
      now,
      { [AUDIT_MUTATION_METRIC.dimension]: tableName(record) },
      {
        eventName: record.eventName,
        eventId: record.eventID,
        key: record.dynamodb?.Keys,
        byService: record.userIdentity?.type === "Service",
      },
    ),
  );
}

export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  // Written to stdout as it is: EMF needs the JSON line without the runtime's log prefix.
  for (const line of mutationLines(event, new Date())) process.stdout.write(`${line}\n`);
}
