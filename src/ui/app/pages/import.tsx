import { useEffect, useState } from 'preact/hooks';
import { call, get, post } from '../api.ts';
import { can, type PageProps } from '../app.tsx';
import { Notice, Select } from '../components/field.tsx';
import { useDirectory } from '../directory.ts';
import { download } from '../download.ts';

interface Column {
  column: string;
  target: string | null;
  source: string;
  samples: string[];
}

interface Preview {
  format: string;
  encoding: string;
  delimiter: string | null;
  columns: Column[];
  rows: { row: number; contact: Record<string, unknown> | null; errors: { column: string | null; message: string }[] }[];
}

interface Job {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  merged: number;
  skipped: number;
  failed: number;
  progress: number;
  options?: { dry_run?: boolean };
}

const TARGETS = ['display_name', 'first_name', 'last_name', 'company', 'role', 'account_number', 'external_id', 'phone_numbers[type=mobile]', 'phone_numbers[type=work]', 'phone_numbers[type=home]', 'emails[type=work]', 'emails[type=home]'];

/** Import: upload, the detected format and column mapping (from the preview), a dry run, the job's progress, the error report. */
export function ImportPage({ me }: PageProps) {
  const directory = useDirectory();
  const [file, setFile] = useState<File | null>(null);
  const [book, setBook] = useState('');
  const [mode, setMode] = useState('create');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const writer = can(me, 'contacts:write');

  const options = (dryRun: boolean) => JSON.stringify({ mode, dry_run: dryRun, mapping, ...(book ? { address_book_id: book } : {}) });
  const form = (dryRun: boolean) => {
    const data = new FormData();
    data.append('options', options(dryRun));
    data.append('file', file!);
    return data;
  };

  const loadPreview = async (chosen: File, withMapping = mapping) => {
    setError(null);
    const data = new FormData();
    data.append('options', JSON.stringify({ mode, dry_run: true, mapping: withMapping }));
    data.append('file', chosen);
    try {
      const { body } = await call<Preview>('POST', '/v1/imports/preview', data);
      setPreview(body);
      setMapping(Object.fromEntries(body.columns.map((c) => [c.column, c.target])));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const start = async (dryRun: boolean) => {
    setError(null);
    try {
      const { body } = await call<Job>('POST', '/v1/imports', form(dryRun));
      setJob(body);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  useEffect(() => {
    if (!job || ['completed', 'failed', 'cancelled'].includes(job.status)) return;
    const timer = setTimeout(() => void get<Job>(`/v1/imports/${job.id}`).then(setJob, (e) => setError((e as Error).message)), 500);
    return () => clearTimeout(timer);
  }, [job]);

  const targets = [...TARGETS, ...(directory?.fields ?? []).map((f) => `custom_fields.${f.key}`)];
  return (
    <div>
      {error && <Notice kind="error">{error}</Notice>}
      {writer && (
        <section aria-labelledby="upload-title" class="card">
          <h2 id="upload-title">Upload</h2>
          <div class="field">
            <label for="import-file">File (CSV, vCard or NDJSON)</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,.vcf,.ndjson,.jsonl,text/csv,text/vcard,application/x-ndjson"
              onChange={(e) => {
                const chosen = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
                setFile(chosen);
                setJob(null);
                setMapping({});
                if (chosen) void loadPreview(chosen, {});
              }}
            />
          </div>
          <Select
            label="Address book"
            value={book || (directory?.books.find((b) => b.is_default)?.id ?? '')}
            onChange={setBook}
            options={(directory?.books ?? []).map((b) => ({ value: b.id, label: b.is_default ? `${b.name} (default)` : b.name }))}
          />
          <Select label="Mode" value={mode} onChange={setMode} options={[{ value: 'create', label: 'Create every row' }, { value: 'upsert', label: 'Update matching contacts (upsert)' }]} />
        </section>
      )}
      {preview && (
        <section aria-labelledby="mapping-title">
          <h2 id="mapping-title">Mapping</h2>
          <p>Format: {preview.format}; encoding: {preview.encoding}{preview.delimiter ? `; delimiter: ${preview.delimiter === '\t' ? 'tab' : preview.delimiter}` : ''}</p>
          <table class="list">
            <thead><tr><th scope="col">Column</th><th scope="col">Samples</th><th scope="col">Field</th></tr></thead>
            <tbody>
              {preview.columns.map((c) => (
                <tr key={c.column}>
                  <td>{c.column}</td>
                  <td>{c.samples.join(' · ')}</td>
                  <td>
                    <Select
                      label={`Field for ${c.column}`}
                      value={mapping[c.column] ?? ''}
                      onChange={(v) => {
                        const next = { ...mapping, [c.column]: v === '' ? null : v };
                        setMapping(next);
                        if (file) void loadPreview(file, next);
                      }}
                      options={[{ value: '', label: '(ignore)' }, ...[...new Set([...(c.target ? [c.target] : []), ...targets])].map((t) => ({ value: t, label: t }))]}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>First rows as they would be stored</h3>
          <ul class="plain-list">
            {preview.rows.map((r) => (
              <li key={r.row}>
                Row {r.row}: {r.contact ? summaryOf(r.contact) : '(unreadable)'}
                {r.errors.map((e, i) => <span key={i} class="field-error"> {e.column ? `${e.column}: ` : ''}{e.message}</span>)}
              </li>
            ))}
          </ul>
          <div class="actions">
            <button type="button" onClick={() => start(true)}>Dry run</button>
            <button type="button" class="primary" onClick={() => start(false)}>Import</button>
          </div>
        </section>
      )}
      {job && (
        <section aria-labelledby="job-title" class="card">
          <h2 id="job-title">{job.options?.dry_run ? 'Dry run' : 'Import'} {job.status}</h2>
          {job.options?.dry_run && <p>A dry run: every row was checked, nothing was written.</p>}
          <label for="import-progress">Progress</label>
          <progress id="import-progress" max={1} value={job.progress ?? 0}>{Math.round((job.progress ?? 0) * 100)} %</progress>
          <p role="status">
            {job.processed} of {job.total ?? '?'} rows: {job.created} created, {job.updated} updated, {job.merged} merged, {job.skipped} skipped, {job.failed} failed.
          </p>
          {['queued', 'running'].includes(job.status) && (
            <button type="button" onClick={() => void post<Job>(`/v1/imports/${job.id}/cancel`).then(setJob, (e) => setError((e as Error).message))}>Cancel import</button>
          )}
          {job.failed > 0 && <button type="button" onClick={() => download(`/v1/imports/${job.id}/errors`, `import-${job.id}-errors.csv`, 'text/csv')}>Download error report</button>}
        </section>
      )}
      <section aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <div class="actions">
          {(['csv', 'vcard', 'ndjson'] as const).map((format) => (
            <button type="button" key={format} onClick={() => download(`/v1/contacts/export?format=${format}`, `contacts.${format === 'vcard' ? 'vcf' : format}`).catch((e) => setError(`Export: ${(e as Error).message}`))}>
              Export {format === 'vcard' ? 'vCard' : format.toUpperCase()}
            </button>
          ))}
        </div>
      </section>
    </div>
  );
}

/** A preview row in one line: the name, numbers (E.164) and addresses, then the other fields set. */
function summaryOf(contact: Record<string, unknown>): string {
  const parts: string[] = [];
  const skip = new Set(['display_name', 'phone_numbers', 'emails', 'messaging', 'custom_fields', 'group_names', 'group_ids', 'type']);
  if (contact.display_name) parts.push(String(contact.display_name));
  for (const p of (contact.phone_numbers as { number: string; e164?: string; type?: string }[] | undefined) ?? []) parts.push(`${p.e164 ?? p.number}${p.type ? ` (${p.type})` : ''}`);
  for (const e of (contact.emails as { address: string; type?: string }[] | undefined) ?? []) parts.push(`${e.address}${e.type ? ` (${e.type})` : ''}`);
  for (const m of (contact.messaging as { channel: string; handle: string }[] | undefined) ?? []) parts.push(`${m.channel}: ${m.handle}`);
  for (const [key, value] of Object.entries(contact)) if (!skip.has(key) && value !== null && value !== '' && typeof value !== 'object') parts.push(`${key}: ${String(value)}`);
  for (const [key, value] of Object.entries((contact.custom_fields as Record<string, unknown> | undefined) ?? {})) parts.push(`${key}: ${String(value)}`);
  const groups = (contact.group_names as string[] | undefined) ?? [];
  if (groups.length > 0) parts.push(`groups: ${groups.join(', ')}`);
  return parts.join(' · ');
}
