import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * Two tables, because they are protected differently:
 *
 * - `data`: one table for the registry, concerns, notifications and idempotency records,
 *   keyed `pk`/`sk` with three overloaded indexes: gsi1 (a partner's inbox newest first, the
 *   registry lists, a force's escalations), gsi2 (the inbox by status, the
 *   review queue by status) and gsi3 (work queues by time: notifications not yet
 *   acknowledged by due time, deliveries by next attempt), sparse so finished work drops out. Every read a route makes is a GetItem or a Query on a key.
 * - `audit`: the hash-chained events, keyed by the contract's own `shard` and `seq`, so
 *   "the next seq of a shard" is a conditional put on the primary key that only one writer
 *   can win. Its indexes serve the auditors' queries (by subject, concern, recipient, actor,
 *   action, day) without a Scan. On AWS no application role may update or delete its items.
 */
export interface TableNames {
  data: string;
  audit: string;
}

export const INDEX = {
  gsi1: "gsi1",
  gsi2: "gsi2",
  bySubject: "bySubject",
  byConcern: "byConcern",
  byRecipient: "byRecipient",
  byActor: "byActor",
  byAction: "byAction",
  byDay: "byDay",
  gsi3: "gsi3",
} as const;

/** Audit index partition attributes, beside the event's own members on each audit item. */
export const AUDIT_INDEX_KEYS = {
  [INDEX.bySubject]: "idxSubject",
  [INDEX.byConcern]: "idxConcern",
  [INDEX.byRecipient]: "idxRecipient",
  [INDEX.byActor]: "idxActor",
  [INDEX.byAction]: "action",
  [INDEX.byDay]: "idxDay",
} as const;

const gsi = (name: string, pk: string, sk: string) => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: pk, KeyType: "HASH" as const },
    { AttributeName: sk, KeyType: "RANGE" as const },
  ],
  Projection: { ProjectionType: "ALL" as const },
});

export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  return [
    {
      TableName: names.data,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk"].map(
        (n) => ({
          AttributeName: n,
          AttributeType: "S" as const,
        }),
      ),
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        gsi(INDEX.gsi1, "gsi1pk", "gsi1sk"),
        gsi(INDEX.gsi2, "gsi2pk", "gsi2sk"),
        gsi(INDEX.gsi3, "gsi3pk", "gsi3sk"),
      ],
    },
    {
      TableName: names.audit,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "shard", AttributeType: "N" },
        { AttributeName: "seq", AttributeType: "N" },
        { AttributeName: "sortKey", AttributeType: "S" },
        ...Object.values(AUDIT_INDEX_KEYS).map((n) => ({ AttributeName: n, AttributeType: "S" as const })),
      ],
      KeySchema: [
        { AttributeName: "shard", KeyType: "HASH" },
        { AttributeName: "seq", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: Object.entries(AUDIT_INDEX_KEYS).map(([index, pk]) =>
        gsi(index, pk, "sortKey"),
      ),
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    },
  ];
}
