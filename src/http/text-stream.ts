import { Readable } from 'node:stream';

/**
 * A response body pulled from a generator of text chunks, at the pace the client reads it.
 * The first chunk is awaited before the stream is made, so a failure to start becomes a proper
 * problem answer rather than a cut-off body. Destroying the stream (the client went away, or the
 * response ended) returns the generator, which runs its `finally`: an export closes its snapshot.
 */
export async function startTextStream(chunks: AsyncGenerator<string, void, undefined>): Promise<Readable> {
  let first: string | null | undefined = await nextText(chunks).catch(async (error: unknown) => {
    await chunks.return(undefined);
    throw error;
  });
  return new Readable({
    async read() {
      try {
        const text = first !== undefined ? first : await nextText(chunks);
        first = undefined;
        this.push(text);
      } catch (error) {
        this.destroy(error as Error);
      }
    },
    destroy(error, callback) {
      chunks.return(undefined).then(() => callback(error), (returned: Error) => callback(error ?? returned));
    },
  });
}

/** The next non-empty chunk, or null at the end (an empty push would stall a byte stream). */
async function nextText(chunks: AsyncGenerator<string, void, undefined>): Promise<string | null> {
  for (;;) {
    const next = await chunks.next();
    if (next.done) return null;
    if (next.value !== '') return next.value;
  }
}
