/** Verdict badges reach WCAG AA (4.5:1) in both themes: their shades are fixed, so one check covers both. */
import { DEFAULT_THEME } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { shownVerdict, VERDICT_STYLE, type ShownVerdict } from '../../renderer/src/features/scenarios/verdict';
import { contrastRatio } from './contrast';

function resolve(color: string): string {
  const [name, shade] = color.split('.');
  const palette = DEFAULT_THEME.colors[name as keyof typeof DEFAULT_THEME.colors];
  expect(palette, color).toBeDefined();
  expect(shade, `${color} needs a fixed shade, or the dark theme picks another one`).toMatch(/^\d$/);
  return palette[Number(shade)];
}

describe('verdict badges', () => {
  for (const [verdict, style] of Object.entries(VERDICT_STYLE) as [ShownVerdict, (typeof VERDICT_STYLE)[ShownVerdict]][]) {
    it(`${verdict}: ${style.text} on ${style.color} is at least 4.5:1`, () => {
      const text = style.text === 'white' ? DEFAULT_THEME.white : DEFAULT_THEME.black;
      expect(contrastRatio(text, resolve(style.color))).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('shows a cancelled result or step as cancelled, whatever its published verdict', () => {
    expect(shownVerdict({ verdict: 'fail', cancelled: true })).toBe('cancelled');
    expect(shownVerdict({ verdict: 'fail' })).toBe('fail');
    expect(shownVerdict({ verdict: 'broker-choice' })).toBe('broker-choice');
    expect(VERDICT_STYLE.cancelled.color).toMatch(/^gray\./);
  });
});
