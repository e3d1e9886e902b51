import * as z from 'zod/mini';
import { zodEnglish } from './zodEnglish.js';
import { didYouMean } from './didYouMean.js';

const positiveInt = z.int().check(z.positive());

/** zod schema of a VideoMAE configuration (camelCase; HF's config.json is mapped by `configFromHF`). */
export const videoMAEConfigSchema = z
  .strictObject({
    numFrames: positiveInt,
    imageSize: positiveInt,
    patchSize: positiveInt,
    tubeletSize: positiveInt,
    numChannels: positiveInt,
    hiddenSize: positiveInt,
    numLayers: positiveInt,
    numHeads: positiveInt,
    intermediateSize: positiveInt,
    decoderHiddenSize: positiveInt,
    decoderNumLayers: z.int().check(z.nonnegative()),
    decoderNumHeads: positiveInt,
    decoderIntermediateSize: positiveInt,
    numClasses: positiveInt,
    layerNormEps: z.number().check(z.positive()),
    normPixLoss: z.boolean(),
    useMeanPooling: z.boolean(),
    qkvBias: z.boolean(),
    labels: z.optional(z.array(z.string())),
  })
  .check(
    z.superRefine((c, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (c.hiddenSize % c.numHeads !== 0) issue('numHeads', `hiddenSize ${c.hiddenSize} is not divisible by numHeads ${c.numHeads}`);
      if (c.decoderHiddenSize % c.decoderNumHeads !== 0)
        issue('decoderNumHeads', `decoderHiddenSize ${c.decoderHiddenSize} is not divisible by decoderNumHeads ${c.decoderNumHeads}`);
      if (c.numFrames % c.tubeletSize !== 0)
        issue('numFrames', `numFrames ${c.numFrames} is not a multiple of tubeletSize ${c.tubeletSize}`);
      if (c.imageSize % c.patchSize !== 0) issue('imageSize', `imageSize ${c.imageSize} is not a multiple of patchSize ${c.patchSize}`);
      if (c.labels && c.labels.length !== c.numClasses)
        issue('labels', `labels has ${c.labels.length} names but numClasses is ${c.numClasses}`);
    }),
  );

export type VideoMAEConfig = z.infer<typeof videoMAEConfigSchema>;
export const configKeys = Object.keys(videoMAEConfigSchema.shape) as (keyof VideoMAEConfig)[];

/** Raised for an invalid configuration; the message lists every problem with its key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validate a config object, naming each bad key (with a did-you-mean for unknown ones). */
export function parseConfig(input: unknown, source = 'config'): VideoMAEConfig {
  const result = videoMAEConfigSchema.safeParse(input, zodEnglish);
  if (result.success) return result.data;
  const lines: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = didYouMean(key, configKeys);
        lines.push(`unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; valid keys: ${configKeys.join(', ')}`);
      }
    } else {
      const path = issue.path.join('.') || '(root)';
      lines.push(`${path}: ${issue.message}`);
    }
  }
  throw new ConfigError(`Invalid ${source}:\n  - ${lines.join('\n  - ')}`);
}
