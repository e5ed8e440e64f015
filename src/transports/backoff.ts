/** Exponential back-off between reconnect attempts. */
export interface BackoffPolicy {
  /** Upper bound of the first delay, ms. */
  initialMs: number;
  /** Upper bound that the delay never exceeds, ms. */
  maxMs: number;
  /** Growth of the upper bound per failed attempt. */
  factor: number;
}

/**
 * WebSocket reconnects: up to 1 s for the first attempt, doubling to at
 * most 30 s. Browsers give WebSocket no reconnect of its own, so each
 * application picks such values; these are typical of client libraries,
 * not taken from one.
 */
export const WEBSOCKET_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, factor: 2 };

/**
 * The delay before reconnect attempt `attempt` (0 for the first), drawn
 * uniformly from zero to the exponential bound ("full jitter"). Without
 * the random spread, every client dropped at the same moment would come
 * back at the same moment, again and again.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const bound = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
  return random() * bound;
}
