import { useEffect, useState } from 'preact/hooks';
import { all } from './api.ts';
import type { AddressBook, CustomField, Group } from './types.ts';

/** The account's books, groups and custom fields: small lists every contact page needs. */
export interface Directory {
  books: AddressBook[];
  groups: Group[];
  fields: CustomField[];
}

/** Read again whenever `version` changes (after a write that may have added a group, say). */
export function useDirectory(version = 0): Directory | null {
  const [directory, setDirectory] = useState<Directory | null>(null);
  useEffect(() => {
    Promise.all([all<AddressBook>('/v1/address-books'), all<Group>('/v1/groups'), all<CustomField>('/v1/custom-fields')])
      .then(([books, groups, fields]) => setDirectory({ books, groups, fields }))
      .catch(() => setDirectory({ books: [], groups: [], fields: [] }));
  }, [version]);
  return directory;
}
