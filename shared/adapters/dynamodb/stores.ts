import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { BreachStore, ReviewStore } from "../../ports.js";
import { DynamoAuditStore } from "./audit-store.js";
import { DynamoCheckpointStore } from "./checkpoint-store.js";
import { type CommitOptions, DEFAULT_COMMIT_OPTIONS } from "./commit.js";
import { DynamoConcernStore } from "./concern-store.js";
import { BREACH_QUEUE, DynamoDecisionQueue, REVIEW_QUEUE } from "./decision-queue.js";
import { DynamoRegistryStore } from "./registry-store.js";
import { DynamoRetentionStore } from "./retention-store.js";
import { DynamoSubjectLinks } from "./subject-links.js";
import type { TableNames } from "./tables.js";
import { DynamoTimelinessStore } from "./timeliness-store.js";

/**
 * Every DynamoDB store on one pair of tables, wired once: the functions, the local hub's
 * tests and the benchmarks all take theirs from here, so a new store is added in one place.
 */
export function dynamoStores(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  shards: number = DEFAULT_COMMIT_OPTIONS.shards,
) {
  const commit: CommitOptions = { ...DEFAULT_COMMIT_OPTIONS, shards };
  const concerns = new DynamoConcernStore(doc, tables, commit);
  const reviews: ReviewStore = new DynamoDecisionQueue(doc, tables, commit, REVIEW_QUEUE);
  const breaches: BreachStore = new DynamoDecisionQueue(doc, tables, commit, BREACH_QUEUE);
  return {
    commit,
    registry: new DynamoRegistryStore(doc, tables, commit),
    concerns,
    // One store serves the concern and notification ports: named for each use.
    notifications: concerns,
    reviews,
    audit: new DynamoAuditStore(doc, tables.audit, shards),
    checkpoints: new DynamoCheckpointStore(doc, tables.audit, shards),
    timeliness: new DynamoTimelinessStore(doc, tables, commit),
    breaches,
    // Retention's erasure queue (the submission's retention policy is `retention`).
    erasures: new DynamoRetentionStore(doc, tables, commit),
    subjects: new DynamoSubjectLinks(doc, tables),
  };
}

export type DynamoStores = ReturnType<typeof dynamoStores>;
