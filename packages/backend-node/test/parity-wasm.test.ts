// The core HF parity suite on WASM (with the fast matmul installed, as registration does).
import { describeParitySuite } from '@adatosk/core/testing';
import { isFastMatMulInstalled } from '@adatosk/core/internal';
import { selectDevice } from '@adatosk/backend-node';

describeParitySuite({
  backendName: 'wasm (Node, fast matmul)',
  setup: async () => {
    await selectDevice('wasm');
    if (!isFastMatMulInstalled('wasm')) throw new Error('fast matmul not installed on wasm');
  },
});
