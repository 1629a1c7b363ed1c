import { DEFAULT_THEME } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { AA, blend, contrast, contrastVariables } from '../../renderer/src/theme-contrast';

const { colors } = DEFAULT_THEME;
const vars = contrastVariables(colors, 6, 8);
const names = Object.keys(colors).filter((n) => n !== 'dark');

describe('theme contrast', () => {
  it('measures like WCAG', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#40c057', blend('#40c057', 0.1, '#ffffff'))).toBeLessThan(2.5); // what the audit saw
  });

  it('light theme: badge text on its tint, outline text and dimmed text reach AA', () => {
    for (const n of names) {
      const tint = blend(colors[n][6], 0.1, '#ffffff');
      expect(contrast(vars.light[`--mantine-color-${n}-light-color`], tint), n).toBeGreaterThanOrEqual(AA);
      expect(contrast(vars.light[`--mantine-color-${n}-outline`], '#ffffff'), n).toBeGreaterThanOrEqual(AA);
      expect(contrast(vars.light[`--mantine-color-${n}-outline`], colors.gray[0]), n).toBeGreaterThanOrEqual(AA);
    }
    expect(contrast(vars.light['--mantine-color-dimmed'], '#ffffff')).toBeGreaterThanOrEqual(AA);
    expect(contrast(vars.light['--mantine-color-dimmed'], blend(colors.indigo[6], 0.1, '#ffffff'))).toBeGreaterThanOrEqual(AA);
  });

  it('dark theme: the same on the dark body and cards', () => {
    for (const n of names) {
      for (const bg of [colors.dark[7], colors.dark[6]]) {
        expect(contrast(vars.dark[`--mantine-color-${n}-light-color`], blend(colors[n][6], 0.15, bg)), n).toBeGreaterThanOrEqual(AA);
        expect(contrast(vars.dark[`--mantine-color-${n}-outline`], bg), n).toBeGreaterThanOrEqual(AA);
      }
    }
    expect(contrast(vars.dark['--mantine-color-dimmed'], colors.dark[6])).toBeGreaterThanOrEqual(AA);
  });

  it('white text on filled buttons and badges reaches AA in both themes', () => {
    for (const n of names) {
      expect(contrast(vars.light[`--mantine-color-${n}-filled`], '#ffffff'), n).toBeGreaterThanOrEqual(AA);
      expect(contrast(vars.light[`--mantine-color-${n}-filled-hover`], '#ffffff'), n).toBeGreaterThanOrEqual(AA);
      expect(contrast(vars.dark[`--mantine-color-${n}-filled`], '#ffffff'), n).toBeGreaterThanOrEqual(AA);
    }
  });
});
