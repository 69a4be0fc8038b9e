import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

export interface MetricName {
  namespace: string;
  name: string;
}

/**
 * One CloudWatch Embedded Metric Format line (a count), serialised by Powertools' metrics.
 * Powertools' default `service` dimension is left off: each alarm in the stack watches its
 * metric by exactly these dimensions (none is a set of its own, `[[]]`). `metadata` rides
 * along for the log search and must hold no personal data.
 */
export function emfLine(
  metric: MetricName,
  count: number,
  at: Date,
  dimensions: Record<string, string> = {},
  metadata: Record<string, unknown> = {},
): string {
  const metrics = new Metrics({ namespace: metric.namespace });
  metrics.clearDefaultDimensions();
  metrics.addDimensions(dimensions);
  metrics.setTimestamp(at);
  for (const [key, value] of Object.entries(metadata)) {
    if (value !== undefined) metrics.addMetadata(key, value as string);
  }
  metrics.addMetric(metric.name, MetricUnit.Count, count);
  return JSON.stringify(metrics.serializeMetrics());
}
