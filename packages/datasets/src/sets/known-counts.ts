// Train/test sizes of complete real copies (shared/datasets.md; DFEW-README, MAE-DFER lists).

export interface KnownSplitCount {
  fold?: number;
  train: number;
  test: number;
}

export const KNOWN_COUNTS: Record<'dfew' | 'ferv39k' | 'mafw', KnownSplitCount[]> = {
  dfew: [
    { fold: 1, train: 9356, test: 2341 },
    { fold: 2, train: 9356, test: 2341 },
    { fold: 3, train: 9357, test: 2340 },
    { fold: 4, train: 9358, test: 2339 },
    { fold: 5, train: 9361, test: 2336 },
  ],
  ferv39k: [{ train: 31088, test: 7847 }],
  // Single-label, no_caption lists.
  mafw: [
    { fold: 1, train: 7333, test: 1839 },
    { fold: 2, train: 7335, test: 1837 },
    { fold: 3, train: 7339, test: 1833 },
    { fold: 4, train: 7340, test: 1832 },
    { fold: 5, train: 7341, test: 1831 },
  ],
};
