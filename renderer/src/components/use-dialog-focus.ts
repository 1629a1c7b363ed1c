/**
 * Keyboard focus for our dialogs, on top of Mantine's focus trap, which
 * focuses once when the modal opens and only scopes Tab while focus is
 * already inside. Two things defeated it: a dialog opened from a menu
 * (the menu hands focus back to its ⋮ button 10 ms after closing, so focus
 * sat behind the modal and Tab walked the sidebar), and a form that mounts
 * after loading (its [data-autofocus] field did not exist yet).
 *
 * While `opened`: focus that lands outside every dialog is pulled back in,
 * and each new `contentKey` (the loaded form) focuses the dialog's
 * [data-autofocus] element or its first field. On close, focus goes back to
 * whatever the dialog took it from (the ⋮ button), if that still exists.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const FIELDS = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A question inside the dialog (role="alertdialog", e.g. "discard changes?") takes focus before the form. */
function focusFirst(dialog: HTMLElement): void {
  const target =
    dialog.querySelector<HTMLElement>('[role="alertdialog"] [data-autofocus]') ??
    dialog.querySelector<HTMLElement>('[data-autofocus]') ??
    dialog.querySelector<HTMLElement>(FIELDS);
  target?.focus({ preventScroll: false });
}

export function useDialogFocus(opened: boolean, contentKey?: unknown): (el: HTMLElement | null) => void {
  const node = useRef<HTMLElement | null>(null);
  const [el, setEl] = useState<HTMLElement | null>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const ref = useCallback((n: HTMLElement | null) => {
    node.current = n;
    setEl(n);
  }, []);
  const dialogOf = () => node.current?.closest<HTMLElement>('[role="dialog"]') ?? node.current;
  /** Focus outside every dialog: remember it (to go back there on close) and bring focus in. */
  const claim = (t: Element | null) => {
    const dialog = dialogOf();
    if (!dialog || (t && t.closest('[role="dialog"]'))) return;
    if (t instanceof HTMLElement && t !== document.body) returnTo.current = t;
    focusFirst(dialog);
  };

  // Attached as the dialog opens (not once its content mounted): the menu's 10 ms hand-back must be seen.
  useEffect(() => {
    if (!opened) return;
    const onFocusIn = (e: FocusEvent) => claim(e.target as Element | null);
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  useEffect(() => {
    if (!opened || !el) return;
    // After Mantine's own initial focus (a timeout of 0) so this one wins.
    const t = setTimeout(() => {
      const active = document.activeElement;
      if (active && !active.closest('[role="dialog"]') && active !== document.body && active instanceof HTMLElement) returnTo.current = active;
      const dialog = dialogOf();
      if (dialog) focusFirst(dialog);
    }, 0);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, el, contentKey]);

  useEffect(() => {
    if (opened) return;
    const back = returnTo.current;
    returnTo.current = null;
    // Later than Mantine's own return (10 ms), which aims at the menu item that no longer exists.
    if (back?.isConnected) setTimeout(() => back.focus({ preventScroll: true }), 20);
  }, [opened]);

  return ref;
}
