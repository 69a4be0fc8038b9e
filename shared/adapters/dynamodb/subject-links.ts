import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { IdentityLinks, SubjectResolution } from "../../domain/subject.js";
import type { SubjectLinkStore } from "../../ports.js";
import type { TableNames } from "./tables.js";

/**
 * The identity links of the subject-id rules, in the data table. Keys are keyed digests (the
 * NHS number itself is never a key), and each link is created once, by a conditional put:
 * two submissions racing on the same child cannot write two different links.
 */
export const linkKeys = {
  nhs: (nhsKey: string) => ({ pk: `SUBJECT_NHS#${nhsKey}`, sk: "LINK" }),
  name: (nameId: string) => ({ pk: `SUBJECT_NAME#${nameId}`, sk: "LINK" }),
};

export class DynamoSubjectLinks implements SubjectLinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: Pick<TableNames, "data">,
  ) {}

  async identityLinks(nhsKey: string, nameId: string): Promise<IdentityLinks> {
    const out = await this.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tables.data]: { Keys: [linkKeys.nhs(nhsKey), linkKeys.name(nameId)], ConsistentRead: true },
        },
      }),
    );
    const items = out.Responses?.[this.tables.data] ?? [];
    const found = (pk: string) => items.find((i) => i.pk === pk)?.data as Record<string, string> | undefined;
    const unprocessed = out.UnprocessedKeys?.[this.tables.data]?.Keys?.length ?? 0;
    // Two small keys are never throttled in practice; if they were, guessing "no link" could
    // split a child in two, so refuse and let the caller retry.
    if (unprocessed > 0)
      throw Object.assign(new Error("identity links not read"), { name: "ThrottlingException" });
    return {
      subjectOfNhs: found(linkKeys.nhs(nhsKey).pk)?.subjectId ?? null,
      nhsOfName: found(linkKeys.name(nameId).pk)?.nhsKey ?? null,
    };
  }

  async claimLinks(claims: SubjectResolution["claims"], at: string): Promise<"ok" | "taken"> {
    const puts = [
      claims.nhs && {
        ...linkKeys.nhs(claims.nhs.nhsKey),
        data: { subjectId: claims.nhs.subjectId },
        createdAt: at,
      },
      claims.name && {
        ...linkKeys.name(claims.name.nameId),
        data: { nhsKey: claims.name.nhsKey },
        createdAt: at,
      },
    ].filter((item) => item !== null);
    if (puts.length === 0) return "ok";
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: puts.map((Item) => ({
            Put: { TableName: this.tables.data, Item, ConditionExpression: "attribute_not_exists(pk)" },
          })),
        }),
      );
      return "ok";
    } catch (error: unknown) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (
        error instanceof Error &&
        error.name === "TransactionCanceledException" &&
        reasons.some((r) => r.Code === "ConditionalCheckFailed")
      ) {
        return "taken";
      }
      throw error;
    }
  }
}
