import { describeParitySuite } from '@adatosk/core/testing';
import { useBackend } from './helpers.js';

describeParitySuite({ backendName: 'wasm', setup: () => useBackend('wasm') });
