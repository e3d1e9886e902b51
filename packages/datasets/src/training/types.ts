// Small shared types of the training adapters.
import type { FrameAugment } from '../augment/kernel.js';

export type AugmentParamsOf = FrameAugment;

/** `cpu`: augment in the worker pool (or in-process); `device`: upload packed frames, augment with tensor ops (caches only). */
export type AugmentOn = 'cpu' | 'device';
