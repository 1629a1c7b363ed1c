import { useEffect, useState } from 'react';

/** Current time, refreshed every `periodMs` (for countdowns and "waiting for" columns). */
export function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}
