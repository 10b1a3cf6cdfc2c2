import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Account } from '../../src/core/types.ts';
import { engines, type OpenedDatabase } from '../support/engines.ts';

const account = (): Account => ({ id: randomUUID(), name: 'tx test', created_at: new Date().toISOString() });

// On SQLite, transactions that arrive together share one commit (group commit): each must still
// stand or fall alone, exactly as if they had run one by one.
for (const engine of engines) {
  describe(`store transactions on ${engine.name}`, () => {
    let db: OpenedDatabase;
    before(async () => {
      db = await engine.open();
    });
    after(() => db.close());

    test('concurrent transactions: a failing one undoes only its own writes', async () => {
      const [kept1, lost, kept2] = [account(), account(), account()];
      const outcomes = await Promise.allSettled([
        db.store.transaction((tx) => tx.accounts.insert(kept1)),
        db.store.transaction(async (tx) => {
          await tx.accounts.insert(lost);
          throw new Error('refused after writing');
        }),
        db.store.transaction((tx) => tx.accounts.insert(kept2)),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.ok(await db.store.accounts.find(kept1.id));
      assert.equal(await db.store.accounts.find(lost.id), undefined);
      assert.ok(await db.store.accounts.find(kept2.id));
    });

    test('a savepoint inside a transaction undoes only its own writes', async () => {
      const [outer, inner] = [account(), account()];
      await db.store.transaction(async (tx) => {
        await tx.accounts.insert(outer);
        await assert.rejects(
          tx.savepoint(async () => {
            await tx.accounts.insert(inner);
            throw new Error('undo the inner write');
          }),
        );
      });
      assert.ok(await db.store.accounts.find(outer.id));
      assert.equal(await db.store.accounts.find(inner.id), undefined);
    });

    test('a transaction sees its own writes, and a value it returns reaches the caller', async () => {
      const a = account();
      const found = await db.store.transaction(async (tx) => {
        await tx.accounts.insert(a);
        return tx.accounts.find(a.id);
      });
      assert.equal(found?.id, a.id);
    });
  });
}
