// `.` is side-effect free: importing it registers no backend.
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';

it('importing "@adatosk/backend-web" registers no backend', async () => {
  const before = Object.keys(tf.engine().registryFactory).sort();
  const mod = await import('@adatosk/backend-web');
  expect(typeof mod.selectWebDevice).toBe('function');
  expect(Object.keys(tf.engine().registryFactory).sort()).toEqual(before);
});
