/**
 * Splits a stream of text holding many cards into one text per card, holding one card at a time
 * (and one partial line): memory does not grow with the file. Lines are cut at CR LF, LF or CR; a
 * folded line (one that starts with a space or tab) is a continuation and never a card boundary.
 */

export interface SplitCard {
  /** The card's lines from BEGIN:VCARD to END:VCARD, joined with CR LF (folding left as it was). */
  text: string;
  /** 1 for the file's first card. */
  ordinal: number;
  /** The line of the file its BEGIN:VCARD is on, from 1. */
  line: number;
  /** True when the card passed MAX_CARD_CHARS: its lines past the limit were dropped, END:VCARD included. */
  oversized?: boolean;
}

/** A card with a 1 MB photo is about 1.4 M characters; past this a card is cut (memory stays bounded). */
export const MAX_CARD_CHARS = 4 * 1024 * 1024;

const BEGIN = /^BEGIN:VCARD[ \t]*$/i;
const END = /^END:VCARD[ \t]*$/i;

export async function* splitVCards(chunks: AsyncIterable<string>): AsyncIterable<SplitCard> {
  let ordinal = 0;
  let lineNo = 0;
  let depth = 0;
  let card: string[] = [];
  let size = 0;
  let oversized = false;
  let startLine = 0;

  /** Takes one line; the card it completes, if it does. */
  function take(line: string): SplitCard | null {
    lineNo++;
    if (depth === 0) {
      if (!BEGIN.test(line)) return null; // text between cards is not part of any
      depth = 1;
      card = [line];
      size = line.length;
      oversized = false;
      startLine = lineNo;
      return null;
    }
    if (BEGIN.test(line)) depth++; // a 2.1 AGENT holds a card of its own
    else if (END.test(line)) depth--;
    if (oversized || size + line.length + 2 > MAX_CARD_CHARS) oversized = true;
    else {
      card.push(line);
      size += line.length + 2;
    }
    if (depth === 0) {
      ordinal++;
      const text = `${card.join('\r\n')}\r\n`;
      card = [];
      return oversized ? { text, ordinal, line: startLine, oversized } : { text, ordinal, line: startLine };
    }
    return null;
  }

  // The line being read, in pieces: a 1 MB photo line arrives over many chunks and is joined once.
  let partial: string[] = [];
  let partialLength = 0;
  let afterCR = false;
  for await (const chunk of chunks) {
    let start = 0;
    if (afterCR && chunk.startsWith('\n')) start = 1; // the LF of a CR LF cut between two chunks
    afterCR = false;
    const nextBreak = breakFinder(chunk);
    for (;;) {
      const cut = nextBreak(start);
      if (cut === null) break;
      partial.push(chunk.slice(start, cut));
      const done = take(partial.join(''));
      if (done !== null) yield done;
      partial = [];
      partialLength = 0;
      if (chunk.charCodeAt(cut) === 13 && cut + 1 === chunk.length) afterCR = true;
      start = cut + (chunk.charCodeAt(cut) === 13 && chunk.charCodeAt(cut + 1) === 10 ? 2 : 1);
    }
    if (start < chunk.length) {
      partialLength += chunk.length - start;
      // A line longer than a card may be is not kept whole either.
      if (partialLength > MAX_CARD_CHARS) oversized = true;
      else partial.push(chunk.slice(start));
    }
  }
  const last = partial.length > 0 ? take(partial.join('')) : null;
  if (last !== null) yield last;
  if (depth > 0 && card.length > 0) {
    ordinal++;
    yield { text: `${card.join('\r\n')}\r\n`, ordinal, line: startLine };
  }
}

/** Finds line breaks in one chunk; remembers where the next CR and LF are, so that a file with only one kind is not searched to its end for the other at every line. */
function breakFinder(text: string): (from: number) => number | null {
  let cr = -2;
  let lf = -2;
  return (from) => {
    if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
    if (lf !== -1 && lf < from) lf = text.indexOf('\n', from);
    if (lf < 0 && cr < 0) return null;
    return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  };
}
