import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  /** Text, or text with a visually hidden part (the accessible name stays whole). */
  label: ComponentChildren;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  type?: string;
  required?: boolean;
  readOnly?: boolean;
  placeholder?: string;
  autoFocus?: boolean;
  name?: string;
}

/** A labelled input with its error beside it (aria-invalid, aria-describedby). */
export function Field(props: FieldProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        readOnly={props.readOnly}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.error && <span id={`${id}-error`} class="field-error">{props.error}</span>}
    </div>
  );
}

/** A labelled select. */
export function Select(props: { label: ComponentChildren; value: string; onChange: (value: string) => void; options: { value: string; label: string }[]; error?: string | undefined; disabled?: boolean }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option value={o.value} key={o.value}>{o.label}</option>
        ))}
      </select>
      {props.error && <span id={`${id}-error`} class="field-error">{props.error}</span>}
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div class="field field-check">
      <input id={id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** A message for everyone, read out by screen readers when it appears. */
export function Notice(props: { kind?: 'error' | 'info' | 'success'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind ?? 'info'}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}
