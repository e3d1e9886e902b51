// ImageNet statistics, the normalisation every VideoMAE checkpoint was trained with.

/** ImageNet RGB mean (of values in [0, 1]). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** ImageNet RGB standard deviation. */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
