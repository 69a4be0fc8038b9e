import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Page } from "../../ports.js";
import { decodeCursor, encodeCursor, isStringRecord } from "./cursor.js";
import { keyId } from "./item-key.js";
import { INDEX } from "./tables.js";

/**
 * The reads the stores share. A record's item holds the record whole under `data`; its other
 * attributes are keys and index entries, which stay inside the adapter.
 */

type Item = Record<string, unknown>;
type Query = Omit<QueryCommandInput, "ExclusiveStartKey">;

const dataOf = <T>(item: Item): T => item.data as T;

/** A record by its key, read consistently: a caller reads what was just written (a 201's Location). */
export async function getData<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Record<string, string>,
): Promise<T | null> {
  const out = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return (out.Item?.data as T | undefined) ?? null;
}

/** One page of a query's records, from the caller's cursor (the last page's opaque `nextCursor`). */
export async function pageOf<T>(
  doc: DynamoDBDocumentClient,
  query: Query,
  cursor: string | undefined,
): Promise<Page<T>> {
  const out = await doc.send(
    new QueryCommand({ ...query, ExclusiveStartKey: decodeCursor(cursor, isStringRecord) }),
  );
  return {
    items: (out.Items ?? []).map(dataOf<T>),
    nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
  };
}

/**
 * The records of a time queue (a sparse gsi3 partition sorted by `<time>#...`) whose time has
 * come: at or before `now`, oldest first.
 */
export async function dueIn<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  queue: string,
  now: string,
  limit: number,
): Promise<T[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: INDEX.gsi3,
      KeyConditionExpression: "gsi3pk = :pk AND gsi3sk <= :now",
      ExpressionAttributeValues: { ":pk": queue, ":now": `${now}~` },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(dataOf<T>);
}

/**
 * A query's items page by page, in order, until the last page or until `most` items are read
 * (each page then asks for no more than are still wanted, and no more than the query's Limit).
 */
export async function* queryPages(
  doc: DynamoDBDocumentClient,
  query: Query,
  most = Number.POSITIVE_INFINITY,
): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  let read = 0;
  do {
    const wanted = Math.min(query.Limit ?? most, most - read);
    const out = await doc.send(
      new QueryCommand({
        ...query,
        ExclusiveStartKey: start,
        ...(Number.isFinite(wanted) ? { Limit: wanted } : {}),
      }),
    );
    const items = out.Items ?? [];
    read += items.length;
    yield items;
    start = out.LastEvaluatedKey;
  } while (start && read < most);
}

/** Every record a query finds, all pages read. */
export async function queryAll<T>(doc: DynamoDBDocumentClient, query: Query): Promise<T[]> {
  const found: T[] = [];
  for await (const items of queryPages(doc, query)) found.push(...items.map(dataOf<T>));
  return found;
}

/** Batches of BatchGetItem in flight at once: a national registry is ~100 batches. */
const BATCHES_IN_FLIGHT = 8;

/**
 * Records read by key and consistently (BatchGetItem, 100 keys a batch, a few batches at once),
 * by `pk|sk`; a key with no item is not in the map.
 */
export async function batchGetByKey<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  keyList: Record<string, string>[],
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const readBatch = async (keys: Record<string, string>[]) => {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [table]: { Keys: keys, ConsistentRead: true },
    };
    while (request && Object.keys(request).length > 0) {
      const out = await doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[table] ?? []) found.set(keyId(item), dataOf<T>(item));
      request = out.UnprocessedKeys as typeof request;
    }
  };
  const batches = Array.from({ length: Math.ceil(keyList.length / 100) }, (_, b) =>
    keyList.slice(b * 100, (b + 1) * 100),
  );
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) await readBatch(batch);
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, worker));
  return found;
}

/** Records read by key and consistently (`batchGetByKey`), in the order of `keyList`; a key with no item is left out. */
export async function batchGetData<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  keyList: Record<string, string>[],
): Promise<T[]> {
  const found = await batchGetByKey<T>(doc, table, keyList);
  // In the keys' order, as BatchGet answers in any order.
  return keyList.flatMap((key) => {
    const entry = found.get(`${key.pk}|${key.sk}`);
    return entry === undefined ? [] : [entry];
  });
}
