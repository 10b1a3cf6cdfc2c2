import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * A query compiled once, at start: each run only binds new parameters, in the order the
 * compiled query lists them. Used on the hot paths (authentication, lookup, contact insert),
 * where building and compiling the query cost as much as running it.
 */
export function precompile<Params extends unknown[], Row>(build: () => Compilable<Row>): (db: Kysely<any>, ...params: Params) => Promise<Row[]> {
  const { sql } = build().compile();
  return async (db, ...params) => (await db.executeQuery<Row>(CompiledQuery.raw(sql, params))).rows;
}
