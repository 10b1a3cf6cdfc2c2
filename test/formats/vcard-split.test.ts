import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CARD_CHARS, parseVCard, splitVCards } from '../../src/formats/vcard/index.ts';
import { fixture } from './vcard-support.ts';

async function* chunksOf(text: string, size: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(chunks: AsyncIterable<string>) {
  const cards = [];
  for await (const card of splitVCards(chunks)) cards.push(card);
  return cards;
}

const readCtx = { customFields: [], defaultRegion: 'US' };

test('cards are split at every chunk size, with CRLF, LF, blank lines and text between cards', async () => {
  const file = `\r\n${fixture('google-contacts-3.0.vcf')}\r\n\r\nnot a card\r\n${fixture('vcard-4.0.vcf')}\n${fixture('outlook-2.1.vcf')}`;
  for (const size of [1, 2, 3, 7, 64, 100_000]) {
    const cards = await collect(chunksOf(file, size));
    assert.deepEqual(cards.map((c) => [c.ordinal, c.line]), [[1, 2], [2, 22], [3, 34], [4, 53]], `chunk size ${size}`);
    assert.deepEqual(cards.map((c) => parseVCard(c.text, readCtx).input.display_name), ['Jane Doe', 'Bob Stone', 'Carla Ruiz', 'Jörg Müller']);
  }
});

test('a folded line is never a boundary, even when its continuation reads END:VCARD', async () => {
  const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nNOTE:ends with\r\n END:VCARD\r\nEND:VCARD\r\n';
  const cards = await collect(chunksOf(card + card, 5));
  assert.equal(cards.length, 2);
  assert.equal(cards[0]!.text, card);
  assert.deepEqual(parseVCard(cards[0]!.text, readCtx).extras.properties, ['NOTE:ends withEND:VCARD']);
});

test('a card with a 1 MB photo in 64 KB chunks comes out whole, before the next card is read', async () => {
  const base64 = Buffer.alloc(1024 * 1024, 7).toString('base64');
  const folded = `PHOTO;ENCODING=b;TYPE=JPEG:${base64}`.replace(/(.{74})/g, '$1\r\n ');
  const card = (n: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${n}\r\n${folded}\r\nEND:VCARD\r\n`;
  const chunksPerCard = Math.ceil(card(1).length / (64 * 1024));
  let pulled = 0;
  async function* file(): AsyncIterable<string> {
    for (let n = 1; n <= 5; n++) {
      for await (const chunk of chunksOf(card(n), 64 * 1024)) {
        pulled++;
        yield chunk;
      }
    }
  }
  let count = 0;
  for await (const split of splitVCards(file())) {
    count++;
    // Streaming: card n is given out once its own chunks are read, not after the whole file.
    assert.equal(pulled, count * chunksPerCard);
    const parsed = parseVCard(split.text, readCtx);
    assert.equal(parsed.input.display_name, `Person ${count}`);
    const photo = parsed.extras.properties[0]!;
    assert.equal(Buffer.from(photo.slice(photo.indexOf(':') + 1), 'base64').length, 1024 * 1024);
  }
  assert.equal(count, 5);
});

test('a card larger than the limit is cut and marked oversized; the next card is read', async () => {
  const huge = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge\r\n${`NOTE:${'x'.repeat(1000)}\r\n`.repeat(Math.ceil(MAX_CARD_CHARS / 1000) + 10)}END:VCARD\r\n`;
  const next = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Next\r\nEND:VCARD\r\n';
  const cards = await collect(chunksOf(huge + next, 1 << 16));
  assert.deepEqual(cards.map((c) => [c.ordinal, c.oversized === true]), [[1, true], [2, false]]);
  assert.ok(cards[0]!.text.length <= MAX_CARD_CHARS);
  assert.equal(parseVCard(cards[1]!.text, readCtx).input.display_name, 'Next');
});
