import { randomUUID } from 'node:crypto';

/** Ids and timestamps are made here, not by the database, so both engines store the same values. */
export const newId = (): string => randomUUID();

/** ISO 8601 UTC with milliseconds: sorts as text on both engines. */
export const nowIso = (): string => new Date().toISOString();
