// The core HF parity suite on the pure-JS CPU backend.
import { describeParitySuite } from '@adatosk/core/testing/vitest';
import { selectDevice } from '@adatosk/backend-node';

describeParitySuite({ backendName: 'cpu (Node)', setup: async () => void (await selectDevice('cpu')) });
