import { useState } from 'preact/hooks';
import { Dialog } from './dialog.tsx';

/** A secret the API shows once (a new API key, a webhook's signing secret): shown in a dialog with a copy button, gone when it closes. */
export function SecretDialog(props: { title: string; intro: string; secret: string; valueLabel: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.intro}</p>
      <p><code class="secret" aria-label={props.valueLabel}>{props.secret}</code></p>
      <button type="button" class="primary" onClick={() => navigator.clipboard?.writeText(props.secret).then(() => setCopied(true), () => setCopied(false))}>Copy</button>
      {copied && <span role="status"> Copied.</span>}
    </Dialog>
  );
}
