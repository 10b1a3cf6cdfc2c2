import { DomainError, type ErrorCode } from '../core/errors.ts';

/**
 * Uniqueness lives in database constraints; this turns a constraint failure into the domain
 * error a racing caller should see. SQLite names the columns, PostgreSQL the constraint.
 */
export async function mapUniqueViolation<T>(work: () => Promise<T>, code: ErrorCode, detail: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(code, detail);
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
