import type { DeliveryOrigin } from '../../shared/broker';

/**
 * Lets the engine ask the embedded broker why it sent a PUBLISH to a client,
 * so delivery labels are exact rather than inferred. The broker records the
 * origin before writing the packet, so the answer is there when the client
 * parses it (same process).
 */
export interface DeliveryOracle {
  /** Origin of the PUBLISH the broker sent to `clientId`, or undefined when unknown. */
  originOf(clientId: string, p: { packetId?: number; topic: string; payloadLength: number }): DeliveryOrigin | undefined;
}
