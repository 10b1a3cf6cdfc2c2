import type { Change } from '../journal/change.types.ts';

/** A delivery's body: `{type, timestamp, data}` (Standard Webhooks), `data` being the object and the names of its changed fields. */
export function payloadOf(change: Change): string {
  return JSON.stringify({ type: change.type, timestamp: change.at, data: dataOf(change) });
}

function dataOf(change: Change): Record<string, unknown> {
  const changed = Object.keys(change.fields ?? {});
  // A purge keeps no personal data, and a change scrubbed by a later purge has none left to send.
  if (change.action === 'purged' || change.snapshot === null) return { id: change.object_id, changed_fields: changed };
  // As the native API shows the object: its integer seq is storage's, not the API's.
  const { seq: _seq, ...object } = change.snapshot;
  return { ...object, changed_fields: changed };
}
