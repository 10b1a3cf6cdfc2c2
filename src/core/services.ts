import { AccountService } from './account.service.ts';
import { AddressBookService } from './address-book.service.ts';
import { BatchJobService } from './batch-job.service.ts';
import { BlockListService } from './block-list.service.ts';
import { ContactService } from './contact.service.ts';
import { CustomFieldService } from './custom-field.service.ts';
import { GroupService } from './group.service.ts';
import { UnitService } from './unit.service.ts';
import { JournalService } from './journal/journal.service.ts';
import type { Store } from './ports.ts';

/** Every service of the core over one store: what HTTP, the CLI and the dialects call. */
export interface Services {
  accounts: AccountService;
  addressBooks: AddressBookService;
  customFields: CustomFieldService;
  contacts: ContactService;
  groups: GroupService;
  units: UnitService;
  batchJobs: BatchJobService;
  blockList: BlockListService;
  journal: JournalService;
}

export function createServices(store: Store, options: { defaultRegion: string; batchJobTimeoutSeconds?: number; warn?: (message: string, error: unknown) => void }): Services {
  return {
    accounts: new AccountService(store),
    addressBooks: new AddressBookService(store),
    customFields: new CustomFieldService(store, options.defaultRegion),
    contacts: new ContactService({ store, defaultRegion: options.defaultRegion }),
    groups: new GroupService(store),
    units: new UnitService(store),
    batchJobs: new BatchJobService(store, { defaultRegion: options.defaultRegion, timeoutMs: (options.batchJobTimeoutSeconds ?? 0) * 1000, ...(options.warn ? { warn: options.warn } : {}) }),
    blockList: new BlockListService(store, options.defaultRegion),
    journal: new JournalService(store),
  };
}
