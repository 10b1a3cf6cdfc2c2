import { sql, type Kysely } from 'kysely';

/**
 * Duplicate candidates by name and company (core/duplicates): live contacts grouped by their
 * lower-case display name and company. Phones and emails already have contact_addresses_lookup.
 * The index is partial and on expressions, both of which SQLite and PostgreSQL spell alike; the
 * duplicate query repeats its WHERE and expressions word for word so that both planners use it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index contacts_name_company on contacts (account_id, lower(display_name), lower(company), seq) where status = 'active' and display_name <> '' and company <> ''`.execute(db);
}
