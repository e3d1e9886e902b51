import { describeParitySuite } from '@adatosk/core/testing/vitest';
import { useBackend } from './helpers.js';

describeParitySuite({ backendName: 'cpu', setup: () => useBackend('cpu') });
