import { session } from './api.ts';

/** Fetches with the key (a plain link could not send it) and saves the answer as a file. */
export async function download(path: string, fileName: string, accept = '*/*'): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session.key()}`, accept } });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
