/**
 * Text colours that meet WCAG AA (4.5:1 for small text) on the backgrounds
 * Mantine puts them on. Mantine's light-theme badge text (shade 6 on a 10 %
 * tint of shade 6) measured 2.2:1 for green, and outline / dimmed gray 3.3:1;
 * its dark-theme outline shade 4 and dimmed gray were about 4:1. These
 * variables replace those, computed from the palette (pure, unit-tested),
 * and darken filled backgrounds until their white text reads (4.5:1).
 */
import { DEFAULT_THEME, type MantineColorsTuple } from '@mantine/core';

export const AA = 4.5;
/** A little above the threshold, so rounding in the browser cannot drop below it. */
const TARGET = 4.6;

type Rgb = [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.replace(/./g, (c) => c + c) : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

const rgbToHex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

function channel(v: number): number {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(hexToRgb(a)), luminance(hexToRgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** `fg` at `alpha` over `bg`, as an opaque colour. */
export function blend(fg: string, alpha: number, bg: string): string {
  const f = hexToRgb(fg);
  const b = hexToRgb(bg);
  return rgbToHex(f.map((v, i) => v * alpha + b[i] * (1 - alpha)) as Rgb);
}

/** Moves `color` toward `to` (black or white) until it reads on every background. */
export function readableOn(color: string, backgrounds: string[], to: string): string {
  for (let t = 0; t <= 1; t += 0.05) {
    const c = blend(to, t, color);
    if (backgrounds.every((bg) => contrast(c, bg) >= TARGET)) return c;
  }
  return to;
}

/** The lightest (light theme) / darkest (dark theme) palette shade from `from` on that reads, else `from` pushed further. */
function pickShade(tuple: MantineColorsTuple, shades: number[], backgrounds: string[], to: string): string {
  for (const k of shades) if (backgrounds.every((bg) => contrast(tuple[k], bg) >= TARGET)) return tuple[k];
  return readableOn(tuple[shades[shades.length - 1]], backgrounds, to);
}

const WHITE = '#ffffff';
/** Surfaces text sits on: body/cards, striped rows (gray-0), the dark theme's body (dark-7) and cards (dark-6). */
const LIGHT_SURFACES = [WHITE, DEFAULT_THEME.colors.gray[0]];
const DARK_SURFACES = [DEFAULT_THEME.colors.dark[7], DEFAULT_THEME.colors.dark[6]];

export interface ContrastVariables {
  light: Record<string, string>;
  dark: Record<string, string>;
}

/** `lightShade` / `darkShade`: the theme's primary shades (Mantine tints badge backgrounds from them). */
export function contrastVariables(colors: Record<string, MantineColorsTuple>, lightShade: number, darkShade: number): ContrastVariables {
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  for (const [name, tuple] of Object.entries(colors)) {
    if (name === 'dark') continue;
    const lightBadgeBg = LIGHT_SURFACES.map((s) => blend(tuple[lightShade], 0.1, s));
    light[`--mantine-color-${name}-light-color`] = pickShade(tuple, [6, 7, 8, 9], lightBadgeBg, '#000000');
    const onSurface = pickShade(tuple, [6, 7, 8, 9], LIGHT_SURFACES, '#000000');
    light[`--mantine-color-${name}-outline`] = onSurface;
    light[`--mantine-color-${name}-text`] = onSurface;
    // Filled buttons and badges carry white text: the default shade 6 gave 4.3:1 (indigo) and 3.3:1 (red).
    const filledLight = pickShade(tuple, [6, 7, 8, 9], [WHITE], '#000000');
    light[`--mantine-color-${name}-filled`] = filledLight;
    light[`--mantine-color-${name}-filled-hover`] = blend('#000000', 0.12, filledLight);
    const darkBadgeBg = DARK_SURFACES.map((s) => blend(tuple[Math.max(0, darkShade - 2)], 0.15, s));
    dark[`--mantine-color-${name}-light-color`] = pickShade(tuple, [4, 3, 2, 1, 0], darkBadgeBg, WHITE);
    const onDark = pickShade(tuple, [4, 3, 2, 1, 0], DARK_SURFACES, WHITE);
    dark[`--mantine-color-${name}-outline`] = onDark;
    dark[`--mantine-color-${name}-text`] = onDark;
    const filledDark = pickShade(tuple, [darkShade, 9], [WHITE], '#000000');
    dark[`--mantine-color-${name}-filled`] = filledDark;
    dark[`--mantine-color-${name}-filled-hover`] = blend('#000000', 0.12, filledDark);
  }
  // Dimmed text also sits on selected rows (the primary colour's tint).
  const selected = blend(DEFAULT_THEME.colors.indigo[lightShade], 0.1, WHITE);
  light['--mantine-color-dimmed'] = readableOn(DEFAULT_THEME.colors.gray[6], [...LIGHT_SURFACES, selected], '#000000');
  dark['--mantine-color-dimmed'] = readableOn(DEFAULT_THEME.colors.dark[2], DARK_SURFACES, WHITE);
  return { light, dark };
}
