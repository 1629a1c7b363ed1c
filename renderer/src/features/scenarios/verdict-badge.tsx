/** A verdict badge (scenario, step or report row) in the colours of verdict.ts. */
import { Badge, type BadgeProps } from '@mantine/core';
import { VERDICT_STYLE, type ShownVerdict } from './verdict';

export function VerdictBadge({ verdict, ...props }: { verdict: ShownVerdict } & Omit<BadgeProps, 'color' | 'c' | 'children'> & { 'data-testid'?: string }) {
  const style = VERDICT_STYLE[verdict];
  return (
    <Badge {...props} color={style.color} c={style.text} data-verdict={verdict}>
      {style.label}
    </Badge>
  );
}
