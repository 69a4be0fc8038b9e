import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import type {
  BreakGlassReview,
  ConcernRecord,
  ErasureDue,
  NotificationRecord,
  RetentionStore,
} from "../../ports.js";
import type { Write } from "./commit.js";
import { DataStore } from "./data-store.js";
import { itemKeys } from "./items.js";
import { getData } from "./reads.js";

/**
 * Retention: the erasures themselves (the `erasures` time queue is read with `due`, from
 * DataStore). Each erasure is an UpdateItem that sets only the personal members to null, so
 * whatever else changed meanwhile stays; its condition is the state it was decided
 * on, so a write racing it (an outcome with a note, say) makes it decide again.
 */
export class DynamoRetentionStore extends DataStore implements RetentionStore {
  async eraseNotification(
    next: NotificationRecord,
    expected: NotificationRecord,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    const names: Record<string, string> = {
      "#data": "data",
      "#status": "status",
      "#payload": "payload",
      "#dob": "subjectDateOfBirth",
      "#erasedAt": "erasedAt",
    };
    const values: Record<string, unknown> = {
      ":null": null,
      ":at": next.erasedAt,
      ":status": expected.status,
    };
    const sets = ["#data.#payload = :null", "#data.#dob = :null", "#data.#erasedAt = :at", "#erasedAt = :at"];
    const conditions = ["#data.#status = :status"];
    // Erased before (a recall): the queue entry still owes the recall's own note.
    if (expected.erasedAt) {
      values[":readErasedAt"] = expected.erasedAt;
      conditions.push("#erasedAt = :readErasedAt");
    } else conditions.push("attribute_not_exists(#erasedAt)");
    for (const [member, present] of [
      ["outcome", expected.outcome != null],
      ["recall", expected.recall != null],
    ] as const) {
      names[`#${member}`] = member;
      if (present) {
        names["#note"] = "note";
        sets.push(`#data.#${member}.#note = :null`);
        conditions.push(`attribute_type(#data.#${member}, :map)`);
        values[":map"] = "M";
      } else {
        conditions.push(`(attribute_not_exists(#data.#${member}) OR attribute_type(#data.#${member}, :nul))`);
        values[":nul"] = "NULL";
      }
    }
    const writes: Write[] = [
      {
        Update: {
          TableName: this.tables.data,
          Key: itemKeys.notification(next.id),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: conditions.join(" AND "),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      { Delete: { TableName: this.tables.data, Key: itemKeys.erasure("notification", next.id) } },
    ];
    return this.commit(writes, events);
  }

  async eraseConcern(
    next: ConcernRecord,
    reviewIds: readonly string[],
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    const writes: Write[] = [
      {
        Update: {
          TableName: this.tables.data,
          Key: itemKeys.concern(next.id),
          UpdateExpression:
            "SET #data.#body = :null, #data.#breakGlass = :null, #data.#erasedAt = :at, #erasedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#erasedAt)",
          ExpressionAttributeNames: {
            "#data": "data",
            "#body": "body",
            "#breakGlass": "breakGlass",
            "#erasedAt": "erasedAt",
          },
          ExpressionAttributeValues: { ":null": null, ":at": next.erasedAt },
        },
      },
      { Delete: { TableName: this.tables.data, Key: itemKeys.erasure("concern", next.id) } },
    ];
    // The reviews that copied the justification: only those that exist (an Update creates).
    for (const id of reviewIds) {
      const review = await getData<BreakGlassReview>(this.doc, this.tables.data, itemKeys.review(id));
      if (!review || review.concernId !== next.id) continue;
      writes.push({
        Update: {
          TableName: this.tables.data,
          Key: itemKeys.review(id),
          UpdateExpression: "SET #data.#justification = :erased, #data.#note = :null",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#data": "data", "#justification": "justification", "#note": "note" },
          ExpressionAttributeValues: { ":erased": "", ":null": null },
        },
      });
    }
    return this.commit(writes, events);
  }

  async dropErasure(due: ErasureDue): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tables.data, Key: itemKeys.erasure(due.kind, due.id) }),
    );
  }
}
