import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

const sqlByDialect = new Map<string, string>();

/**
 * A query compiled once per SQL dialect: each run only binds new parameters, in the order the
 * compiled query lists them. Used on the hot paths (authentication, lookup, contact insert),
 * where building and compiling the query cost as much as running it.
 */
export function precompile<Params extends unknown[], Row>(name: string, build: (db: Kysely<Database>) => Compilable<Row>) {
  return async (db: Kysely<Database>, ...params: Params): Promise<Row[]> => {
    const key = `${db.getExecutor().adapter.constructor.name}:${name}`;
    let sqlText = sqlByDialect.get(key);
    if (sqlText === undefined) {
      sqlText = build(db).compile().sql;
      sqlByDialect.set(key, sqlText);
    }
    return (await db.executeQuery<Row>(CompiledQuery.raw(sqlText, params))).rows;
  };
}
