/**
 * The one string an item's `pk`/`sk` key is known by in a Map: what `batchGetByKey` answers by
 * and what the registry's change is looked up by, so the two can never disagree (an entry read
 * again but looked up under another form would look deleted).
 */
export const keyId = (key: { pk?: unknown; sk?: unknown }): string => `${String(key.pk)}|${String(key.sk)}`;
