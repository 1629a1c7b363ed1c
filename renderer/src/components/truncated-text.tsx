/**
 * One line of text cut with an ellipsis, with the full text in a tooltip
 * (and the title attribute) only while it is actually cut: names, topics and
 * errors are often longer than a sidebar row or a half-width header.
 */
import { Text, Tooltip, type TextProps } from '@mantine/core';
import { useLayoutEffect, useRef, useState, type ComponentPropsWithoutRef, type ElementType } from 'react';

type Props = TextProps &
  Omit<ComponentPropsWithoutRef<'p'>, keyof TextProps | 'children' | 'title'> & {
    text: string;
    component?: ElementType;
    /** Always shown on hover (e.g. an error's full text), not only when cut. */
    tooltip?: string;
  };

export function TruncatedText({ text, component, className, tooltip, ...props }: Props) {
  const ref = useRef<HTMLElement>(null);
  const truncated = useIsTruncated(ref, text);
  const full = tooltip ?? text;
  return (
    <Tooltip label={full} disabled={!truncated && !tooltip} multiline maw={480} openDelay={300} withinPortal>
      <Text ref={ref} component={component as 'span'} className={`ss-ellipsis${className ? ` ${className}` : ''}`} title={truncated ? full : undefined} {...props}>
        {text}
      </Text>
    </Tooltip>
  );
}

/** Whether the element's content is wider than its box; re-measured when its size or `content` changes. */
export function useIsTruncated(ref: React.RefObject<HTMLElement | null>, content: unknown): boolean {
  const [truncated, setTruncated] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setTruncated(el.scrollWidth > el.clientWidth + 1);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, content]);
  return truncated;
}
