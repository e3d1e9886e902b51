// The BlazeFace variants the package ships. Weights are embedded modules, separate entry points of the
// package loaded on demand (dynamic import), so bundlers split them out, the ESM and CommonJS builds share
// them, and an app pays only for the variant it uses.

export type FaceModelName = 'short' | 'back';

export interface EmbeddedModel {
  TOPOLOGY: object;
  WEIGHT_SPECS: Array<{ name: string; shape: number[]; dtype: string; quantization?: { dtype: string; original_dtype?: string } }>;
  WEIGHTS_BASE64: string;
}

export interface FaceModelInfo {
  /** Square input side in pixels. */
  inputSize: number;
  /** What it is for. */
  description: string;
  load(): Promise<EmbeddedModel>;
}

export const FACE_MODELS: Record<FaceModelName, FaceModelInfo> = {
  short: {
    inputSize: 128,
    description:
      'MediaPipe BlazeFace short-range (128 px): faces that fill at least ~1/8 of the frame side (webcams, vlogs, DFER clips); ~4x cheaper than back',
    load: () => import('@adatosk/faces/models/short-range'),
  },
  back: {
    inputSize: 256,
    description: 'MediaPipe BlazeFace back-camera (256 px): also small and distant faces (group shots, wide movie scenes)',
    load: () => import('@adatosk/faces/models/back-camera'),
  },
};
