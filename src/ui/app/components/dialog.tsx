import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { Notice } from './field.tsx';

/** A modal dialog on the native <dialog>: focus is trapped, Esc closes it (the browser's cancel), and focus returns to what opened it. */
export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The page unmounts the dialog rather than closing it, so focus goes back to its opener by hand.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      props.onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [props.onClose]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} class="dialog">
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <div class="dialog-close">
        <button type="button" onClick={props.onClose}>Close</button>
      </div>
    </dialog>
  );
}

/**
 * A dialog holding one form with a Save button: `save` runs on submit, and a refusal shows its
 * message above the button (the dialog stays open to fix the input).
 */
export function FormDialog(props: { title: string; onClose: () => void; save: () => Promise<void>; children: ComponentChildren }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await props.save();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit}>
        {props.children}
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" class="primary">Save</button>
      </form>
    </Dialog>
  );
}
