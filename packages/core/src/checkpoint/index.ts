export {
  readSafetensors,
  readSafetensorsHeader,
  writeSafetensors,
  decodeEntry,
  SafetensorsError,
  type SafetensorsHeader,
  type SafetensorsEntry,
  type SafetensorsFile,
  type WritableTensor,
  type WritableDtype,
} from './safetensors.js';
export { DTYPE_BYTES, FLOAT_DTYPES, halfToFloat, type SafetensorsDtype } from './dtypes.js';
export { fromHFLayout, toHFLayout, permute } from './layout.js';
export { normalizeKey } from './keys.js';
export { modelFromSafetensors, loadModelSync, type LoadOptions } from './load.js';
export { saveModel, CONFIG_METADATA_KEY, type SavedModel } from './save.js';
export { readSavedModelConfig, savedAdaToskOptions, ADATOSK_OPTIONS_METADATA_KEY, type SavedModelConfig } from './saved.js';
