export { EmbeddedBroker, type EmbeddedBrokerOptions } from './broker';
