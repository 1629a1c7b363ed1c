/**
 * After a failed save: scroll to and focus the first invalid field, in form
 * order. A field inside a section that was just expanded only becomes
 * focusable once the section is shown, so this retries for a moment.
 */
const ATTEMPTS = 10;
const RETRY_MS = 50;

export function focusFirstError(form: HTMLFormElement | null, attempt = 0): void {
  if (!form) return;
  const run = () => {
    const el = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (el && el.offsetParent !== null && el.getClientRects().length > 0) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'center' });
    } else if (attempt < ATTEMPTS) {
      setTimeout(() => focusFirstError(form, attempt + 1), RETRY_MS);
    }
  };
  // Errors are rendered in the next commit: look after it.
  requestAnimationFrame(run);
}
