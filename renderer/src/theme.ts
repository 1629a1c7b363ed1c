import { createTheme, DEFAULT_THEME, type CSSVariablesResolver } from '@mantine/core';
import { contrastVariables } from './theme-contrast';
import type { ColorScheme } from './stores/ui-store';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
});

const contrastVars = contrastVariables(DEFAULT_THEME.colors, 6, 8);
/** Text colours that reach WCAG AA in both themes (see theme-contrast.ts). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({ variables: {}, light: contrastVars.light, dark: contrastVars.dark });

const KEY = 'sessionscope.colorScheme';

export function loadColorScheme(): ColorScheme {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark') return v;
  } catch {
    /* storage may be unavailable (file://, privacy mode) */
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function saveColorScheme(c: ColorScheme): void {
  try {
    localStorage.setItem(KEY, c);
  } catch {
    /* ignore */
  }
}
