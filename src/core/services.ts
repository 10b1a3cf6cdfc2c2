import { AccountService } from './directory/account.service.ts';
import { AddressBookService } from './directory/address-book.service.ts';
import { BatchJobService } from './batch-jobs/batch-job.service.ts';
import { BlockListService } from './directory/block-list.service.ts';
import { CardService } from './cards/card.service.ts';
import { ContactService } from './contacts/contact.service.ts';
import { ContactBulkService } from './contacts/contact-bulk.service.ts';
import { CustomFieldService } from './directory/custom-field.service.ts';
import { DuplicateService } from './duplicates/duplicate.service.ts';
import { ExportService } from './exports/export.service.ts';
import { GroupService } from './directory/group.service.ts';
import { UnitService } from './directory/unit.service.ts';
import { JournalService } from './journal/journal.service.ts';
import { ImportJobService } from './imports/import-job.service.ts';
import { DEFAULT_IMPORT_READER } from './imports/file-reader.ts';
import type { ImportReader } from './imports/file-reader.ts';
import type { Store } from './ports.ts';
import { DeliveryWorker, type DeliveryOptions, type WebhookSender } from './webhooks/delivery.worker.ts';
import { WebhookService } from './webhooks/webhook.service.ts';

/** Every service of the core over one store: what HTTP, the CLI and the dialects call. */
export interface Services {
  accounts: AccountService;
  addressBooks: AddressBookService;
  customFields: CustomFieldService;
  contacts: ContactService;
  /** One action (group membership, block, delete) on every contact of a filter or a list of ids, chunk by chunk. */
  contactBulk: ContactBulkService;
  /** Contacts as CardDAV cards (the dav adapter). */
  cards: CardService;
  groups: GroupService;
  duplicates: DuplicateService;
  units: UnitService;
  batchJobs: BatchJobService;
  blockList: BlockListService;
  journal: JournalService;
  /** Contacts out as files (CSV, vCard, NDJSON), streamed from one snapshot. */
  exports: ExportService;
  webhooks: WebhookService;
  /** Import jobs, run in the background by every node (started by the app). */
  imports: ImportJobService;
  /** Delivers the journal to webhook endpoints in the background (started by the app). */
  webhookDelivery: DeliveryWorker;
}

export interface ServiceOptions {
  defaultRegion: string;
  batchJobTimeoutSeconds?: number;
  warn?: (message: string, error: unknown) => void;
  /** Webhook delivery: how to send (an adapter) and the settings; without it nothing is sent. */
  webhookDelivery?: { sender: WebhookSender; options: Omit<DeliveryOptions, 'warn'> };
  imports?: { maxBytes: number; chunkRows: number; staleSeconds: number };
  /** How files are read; the formats of src/formats unless a caller brings its own. */
  importReader?: ImportReader;
}

/** Sends nothing: for callers that never deliver (the CLI, a store tool). */
const NO_SENDER: WebhookSender = { send: async () => ({ status: null, body: null, retryAfter: null, error: 'webhook delivery is off in this process', durationMs: 0 }) };

export function createServices(store: Store, options: ServiceOptions): Services {
  const delivery = options.webhookDelivery?.options ?? { retryScheduleSeconds: [5], timeoutMs: 15_000, disableAfterMs: 432_000_000, pollMs: 250, allowPrivate: false };
  const webhookDelivery = new DeliveryWorker(store, options.webhookDelivery?.sender ?? NO_SENDER, { ...delivery, ...(options.warn ? { warn: options.warn } : {}) });
  return {
    accounts: new AccountService(store),
    addressBooks: new AddressBookService(store),
    customFields: new CustomFieldService(store, options.defaultRegion),
    contacts: new ContactService({ store, defaultRegion: options.defaultRegion }),
    contactBulk: new ContactBulkService(store),
    cards: new CardService(store, options.defaultRegion),
    groups: new GroupService(store),
    duplicates: new DuplicateService(store),
    units: new UnitService(store),
    batchJobs: new BatchJobService(store, { defaultRegion: options.defaultRegion, timeoutMs: (options.batchJobTimeoutSeconds ?? 0) * 1000, ...(options.warn ? { warn: options.warn } : {}) }),
    blockList: new BlockListService(store, options.defaultRegion),
    journal: new JournalService(store),
    exports: new ExportService(store),
    webhooks: new WebhookService(store, { allowPrivate: delivery.allowPrivate, onChange: () => webhookDelivery.wake() }),
    webhookDelivery,
    imports: new ImportJobService(store, {
      defaultRegion: options.defaultRegion,
      reader: options.importReader ?? DEFAULT_IMPORT_READER,
      maxBytes: options.imports?.maxBytes ?? 1024 ** 3,
      chunkRows: options.imports?.chunkRows ?? 500,
      staleAfterMs: (options.imports?.staleSeconds ?? 30) * 1000,
      ...(options.warn ? { warn: options.warn } : {}),
    }),
  };
}
