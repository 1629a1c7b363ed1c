import { startMosquitto } from '../helpers/mosquitto';
import { defineSessionScenarios } from './session-scenarios';

defineSessionScenarios('mosquitto', () => startMosquitto(), 'inferred');
