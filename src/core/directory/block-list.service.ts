import { addressKeysOf } from '../contacts/contact-index.ts';
import { stateOf } from '../contacts/contact-state.ts';
import { WriteScope, createWithRule, lockAccountAddresses, saveChanged } from '../contacts/contact-writes.ts';
import { invalidField } from '../errors.ts';
import { findOrCreateBlockList } from './group.service.ts';
import { toE164 } from '../phones.ts';
import type { Store } from '../ports.ts';
import type { Contact, Group, Principal } from '../types.ts';

/**
 * Blocking a phone number (8x8 `POST contacts/blacklist/{msisdn}`): every live contact of the
 * account holding the number joins the account's block-list group; when none does, a contact
 * with only that number is created in it. One transaction, under the block list's lock and then
 * the number's account-wide duplicate lock, so racing calls leave one group and one contact.
 */
export class BlockListService {
  constructor(
    private readonly store: Store,
    private readonly region: string,
  ) {}

  async blockPhone(actor: Principal, phone: string): Promise<{ group: Group; contacts: Contact[] }> {
    const e164 = toE164(phone, this.region);
    if (e164 === null) throw invalidField('msisdn', `"${phone}" is not a phone number`);
    return this.store.transaction(async (tx) => {
      const group = await findOrCreateBlockList(tx, actor);
      const scope = new WriteScope(tx, actor, this.region);
      const book = await scope.book(undefined);
      const state = await scope.buildState({ address_book_id: book.id, phone_numbers: [{ number: e164, type: 'mobile' }], group_ids: [group.id] });
      await lockAccountAddresses(tx, actor.accountId, addressKeysOf(state));
      const holders = await tx.contacts.findByAddresses(actor.accountId, addressKeysOf(state));
      if (holders.length === 0) return { group, contacts: [(await createWithRule(scope, state, { policy: 'merge', scope: 'account' }, book)).contact] };
      const blocked: Contact[] = [];
      for (const holder of holders) {
        await tx.lock(`contact:${holder.id}`);
        const current = (await tx.contacts.find(actor.accountId, holder.id))!;
        blocked.push(current.group_ids.includes(group.id) ? current : await saveChanged(tx, actor, current, { ...stateOf(current), group_ids: [...current.group_ids, group.id] }));
      }
      return { group, contacts: blocked };
    });
  }
}
