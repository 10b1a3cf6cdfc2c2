/**
 * Deterministic contacts for benchmarks: contact i always has the same names and numbers, so a
 * run can ask for numbers it stored without keeping them. Every other contact has two phones
 * (1.5 numbers per contact on average), all distinct, all valid 10-digit North American numbers.
 */
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Wei', 'Aarav', 'Sofia', 'Mateo', 'Yuki', 'Amara', 'Lars', 'Fatima', 'Ivan', 'Chloe'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson'];
const COMPANY = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne'];

/** A 10-digit national number; offset keeps benchmark areas apart (bulk data vs create scenario). */
export function nationalNumber(i: number, second = false, offset = 0): string {
  return String(2_000_000_000 + offset + i * 2 + (second ? 1 : 0));
}

export function benchContact(i: number, addressBookId?: string) {
  const first = FIRST[i % FIRST.length]!;
  const last = `${LAST[Math.floor(i / FIRST.length) % LAST.length]!}${i >= FIRST.length * LAST.length ? Math.floor(i / (FIRST.length * LAST.length)) : ''}`;
  const phones = [{ number: `+1${nationalNumber(i)}`, type: 'mobile' }];
  if (i % 2 === 0) phones.push({ number: `+1${nationalNumber(i, true)}`, type: 'work' });
  return {
    ...(addressBookId ? { address_book_id: addressBookId } : {}),
    first_name: first,
    last_name: last,
    company: COMPANY[i % COMPANY.length],
    phone_numbers: phones,
    emails: [{ address: `${first}.${last}.${i}@example.com`.toLowerCase(), type: 'work' }],
  };
}

/** A stored number of contact i written the way a caller id or an agent might write it. */
export function mixedFormat(i: number, variant: number): string {
  const n = nationalNumber(i, i % 2 === 0 && variant % 3 === 0);
  const [area, exchange, line] = [n.slice(0, 3), n.slice(3, 6), n.slice(6)];
  switch (variant % 4) {
    case 0:
      return `+1 (${area}) ${exchange}-${line}`;
    case 1:
      return `1${n}`;
    case 2:
      return `${area}-${exchange}-${line}`;
    default:
      return `+1${n}`;
  }
}

/** A small fast PRNG so runs pick the same "random" numbers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
