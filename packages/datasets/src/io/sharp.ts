// sharp, imported on first use: importing @adatosk/datasets never fails where libvips cannot load
// (the synthetic dataset and the registry still work); decoding then reports why.
import type SharpDefault from 'sharp';

type SharpFactory = typeof SharpDefault;
let loading: Promise<SharpFactory> | undefined;

export function loadSharp(): Promise<SharpFactory> {
  loading ??= import('sharp').then(
    (m) => (m as { default?: SharpFactory }).default ?? (m as unknown as SharpFactory),
    (error: Error) => {
      loading = undefined;
      throw new Error(
        `sharp (libvips) could not be loaded, so frames cannot be decoded: ${error.message}. Reinstall with \`npm install sharp\`.`,
      );
    },
  );
  return loading;
}
