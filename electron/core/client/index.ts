/**
 * The connection engine: MQTT.js clients in plain Node, exposed through the
 * contract types in shared/connection.ts.
 */
export { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
export { DEFAULT_LIMITS, type HistoryLimits } from './connection-log';
export { BURST_GAP_MS } from './delivery-label';
