import type { CreateTableCommandInput, KeySchemaElement } from "@aws-sdk/client-dynamodb";
import type { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { type TableNames, tableDefinitions } from "../../shared/adapters/dynamodb/tables.js";

/** The attribute DynamoDB's TTL deletes idempotency records by (set on the data table). */
export const DATA_TTL_ATTRIBUTE = "expiresAt";

/**
 * The data table's stream, on AWS only: it wakes the deliverer when a push message is put in
 * the outbox (the local hub polls the outbox every second instead). Keys only: the deliverer
 * reads the outbox itself, so no notification, concern or webhook body passes through the
 * stream, its filter or the dead-letter queue.
 */
export const DATA_STREAM = dynamodb.StreamViewType.KEYS_ONLY;

function attribute(definition: CreateTableCommandInput, name: string): dynamodb.Attribute {
  const found = definition.AttributeDefinitions?.find((a) => a.AttributeName === name);
  if (!found?.AttributeType) throw new Error(`${definition.TableName}: no attribute definition for ${name}.`);
  const types: Record<string, dynamodb.AttributeType> = {
    S: dynamodb.AttributeType.STRING,
    N: dynamodb.AttributeType.NUMBER,
    B: dynamodb.AttributeType.BINARY,
  };
  const type = types[found.AttributeType];
  if (!type) throw new Error(`${definition.TableName}: unknown attribute type ${found.AttributeType}.`);
  return { name, type };
}

function keys(definition: CreateTableCommandInput, schema: KeySchemaElement[] | undefined) {
  const hash = schema?.find((k) => k.KeyType === "HASH")?.AttributeName;
  const range = schema?.find((k) => k.KeyType === "RANGE")?.AttributeName;
  if (!hash) throw new Error(`${definition.TableName}: a key schema without a partition key.`);
  return {
    partitionKey: attribute(definition, hash),
    ...(range ? { sortKey: attribute(definition, range) } : {}),
  };
}

function streamOf(definition: CreateTableCommandInput): dynamodb.StreamViewType | undefined {
  const spec = definition.StreamSpecification;
  if (!spec?.StreamEnabled) return undefined;
  return spec.StreamViewType as dynamodb.StreamViewType;
}

function projectionOf(type: string | undefined): dynamodb.ProjectionType {
  if (type === "KEYS_ONLY") return dynamodb.ProjectionType.KEYS_ONLY;
  if (type === "INCLUDE") return dynamodb.ProjectionType.INCLUDE;
  return dynamodb.ProjectionType.ALL;
}

export interface LanternTablesProps {
  names: TableNames;
  key: kms.IKey;
  /** RETAIN in prod; deletion protection stays on whatever the policy. */
  removalPolicy: RemovalPolicy;
}

/**
 * The two tables, mapped from the very definitions the local hub creates in DynamoDB Local
 * (`tableDefinitions`), so keys, indexes and the audit stream cannot drift between the two.
 * What CreateTable cannot say is added here: the CMK, point-in-time recovery, deletion
 * protection and the TTL of idempotency records; and what only AWS needs: the data table's
 * keys-only stream that feeds the deliverer.
 */
export class LanternTables extends Construct {
  readonly data: dynamodb.Table;
  readonly audit: dynamodb.Table;

  constructor(scope: Construct, id: string, props: LanternTablesProps) {
    super(scope, id);
    const [dataDef, auditDef] = tableDefinitions(props.names);
    if (!dataDef || !auditDef) throw new Error("tableDefinitions must define the data and audit tables.");
    this.data = this.table("Data", dataDef, props, DATA_TTL_ATTRIBUTE, DATA_STREAM);
    this.audit = this.table("Audit", auditDef, props);
  }

  private table(
    id: string,
    definition: CreateTableCommandInput,
    props: LanternTablesProps,
    ttl?: string,
    awsStream?: dynamodb.StreamViewType,
  ): dynamodb.Table {
    if (definition.BillingMode !== "PAY_PER_REQUEST") {
      throw new Error(`${definition.TableName}: only on-demand tables are mapped.`);
    }
    const table = new dynamodb.Table(this, id, {
      tableName: definition.TableName,
      ...keys(definition, definition.KeySchema),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy,
      stream: streamOf(definition) ?? awsStream,
      ...(ttl ? { timeToLiveAttribute: ttl } : {}),
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.IndexName as string,
        ...keys(definition, index.KeySchema),
        projectionType: projectionOf(index.Projection?.ProjectionType),
        ...(index.Projection?.NonKeyAttributes
          ? { nonKeyAttributes: index.Projection.NonKeyAttributes }
          : {}),
      });
    }
    return table;
  }
}
