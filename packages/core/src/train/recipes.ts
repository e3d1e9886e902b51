// Documented default recipes. MAE-DFER's fine-tuning (sunlicai/MAE-DFER scripts/*/finetune_*.sh with VideoMAE's
// run_class_finetuning.py defaults): AdamW (0.9, 0.999), lr 1e-3 per 256 clips (scaled by batch/256), weight decay
// 0.05, layer decay 0.75, 5 warmup epochs, cosine to 1e-6, 100 epochs, batch 32 per GPU (x3 GPUs), drop path 0.1,
// label smoothing 0.1, mixup 0.8 / cutmix 1.0 (switch prob 0.5), 16 frames at 160 px, 2x2 test views.
import type { TrainOptions } from './options.js';

export interface Recipe extends TrainOptions {
  /** Model-side settings the recipe assumes (passed to the model factory, not the loop). */
  model: { dropPath: number; labelSmoothing: number; frames: number; imageSize: number };
  /** Frame sampling stride (4 for DFEW/MAFW, 1 for FERV39K). */
  samplingRate: number;
  /** Test-time views: temporal clips x spatial crops. */
  testViews: { clips: number; crops: number };
}

/** MAE-DFER's fine-tuning recipe for a dataset (`ferv39k` uses sampling rate 1). */
export function maeDferRecipe(dataset: 'dfew' | 'ferv39k' | 'mafw' = 'dfew', batchSize = 32, accumSteps = 1): Recipe {
  const effective = batchSize * accumSteps;
  return {
    epochs: 100,
    batchSize,
    accumSteps,
    lr: (1e-3 * effective) / 256,
    minLr: 1e-6,
    warmupEpochs: 5,
    weightDecay: 0.05,
    layerDecay: 0.75,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    clipGradNorm: null,
    mix: { mixupAlpha: 0.8, cutmixAlpha: 1.0, prob: 1.0, switchProb: 0.5 },
    onNonFinite: 'stop',
    bestMetric: 'uar',
    model: { dropPath: 0.1, labelSmoothing: 0.1, frames: 16, imageSize: 160 },
    samplingRate: dataset === 'ferv39k' ? 1 : 4,
    testViews: { clips: 2, crops: 2 },
  };
}
