import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Read and write units as DynamoDB reports them (`ReturnConsumedCapacity: INDEXES`), captured
 * by one middleware on the bench's own client, so the adapters stay as they are: every request
 * that can report its capacity is asked to, and what comes back is summed per table and index.
 */

/** The commands that accept ReturnConsumedCapacity. */
const REPORTING = new Set([
  "GetItemCommand",
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "QueryCommand",
  "ScanCommand",
  "BatchGetItemCommand",
  "BatchWriteItemCommand",
  "TransactGetItemsCommand",
  "TransactWriteItemsCommand",
]);

interface Units {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}
interface Consumed extends Units {
  TableName?: string;
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

export interface CapacityTally {
  requests: Record<string, number>;
  read: number;
  write: number;
  /** Units on the tables themselves, without their indexes. */
  tableRead: number;
  tableWrite: number;
  /** Write units per index name, summed over tables. */
  indexWrite: Record<string, number>;
}

export const emptyTally = (): CapacityTally => ({
  requests: {},
  read: 0,
  write: 0,
  tableRead: 0,
  tableWrite: 0,
  indexWrite: {},
});

/** Units of one part: DynamoDB Local reports total CapacityUnits, sometimes without the split. */
function split(units: Units | undefined, kind: "read" | "write") {
  if (!units) return 0;
  const specific = kind === "read" ? units.ReadCapacityUnits : units.WriteCapacityUnits;
  return specific ?? units.CapacityUnits ?? 0;
}

function add(tally: CapacityTally, consumed: Consumed, kind: "read" | "write") {
  const total = split(consumed, kind);
  const table = consumed.Table ? split(consumed.Table, kind) : total;
  if (kind === "read") {
    tally.read += total;
    tally.tableRead += table;
    return;
  }
  tally.write += total;
  tally.tableWrite += table;
  for (const [name, units] of Object.entries(consumed.GlobalSecondaryIndexes ?? {}))
    tally.indexWrite[name] = (tally.indexWrite[name] ?? 0) + split(units, "write");
}

const WRITES = /Put|Update|Delete|BatchWrite|TransactWrite/;

function record(tally: CapacityTally, command: string, output: unknown) {
  const consumed = (output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
  const kind = WRITES.test(command) ? "write" : "read";
  const parts = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  for (const part of parts) add(tally, part, kind);
}

/** Adds the middleware to `doc`'s stack (shared with its DynamoDB client); returns the tally it fills. */
export function captureCapacity(doc: DynamoDBDocumentClient): { tally: CapacityTally; reset(): void } {
  const holder = { tally: emptyTally() };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "unknown";
      const input = args.input as { ReturnConsumedCapacity?: string };
      const reporting = REPORTING.has(command);
      if (reporting) input.ReturnConsumedCapacity = "INDEXES";
      // Counted whether or not it succeeds: a cancelled transaction is a request sent (and retried).
      holder.tally.requests[command] = (holder.tally.requests[command] ?? 0) + 1;
      const result = await next(args);
      if (reporting) record(holder.tally, command, result.output);
      return result;
    },
    { step: "initialize", name: "benchConsumedCapacity" },
  );
  return {
    get tally() {
      return holder.tally;
    },
    reset() {
      holder.tally = emptyTally();
    },
  };
}
