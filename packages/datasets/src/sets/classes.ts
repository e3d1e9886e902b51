// Class orders (0-based) and the official label encodings they map from. See docs/datasets.md.

/** DFEW and FERV39K order (MAE-DFER, HiCMAE, DFER-CLIP, Former-DFER agree); DFEW files use 1..7 in this order. */
export const DFEW_CLASSES = ['Happy', 'Sad', 'Neutral', 'Angry', 'Surprise', 'Disgust', 'Fear'] as const;
export const FERV39K_CLASSES = DFEW_CLASSES;

/** MAFW, MAE-DFER/HiCMAE order = official single_label id - 1 (the default). */
export const MAFW_CLASSES_MAE_DFER = [
  'anger',
  'disgust',
  'fear',
  'happiness',
  'neutral',
  'sadness',
  'surprise',
  'contempt',
  'anxiety',
  'helplessness',
  'disappointment',
] as const;

/** MAFW, DFER-CLIP/MMA-DFER order (first seven follow DFEW). */
export const MAFW_CLASSES_DFER_CLIP = [
  'happiness',
  'sadness',
  'neutral',
  'anger',
  'surprise',
  'disgust',
  'fear',
  'contempt',
  'anxiety',
  'helplessness',
  'disappointment',
] as const;

export type MafwClassOrder = 'mae-dfer' | 'dfer-clip';

export function mafwClasses(order: MafwClassOrder): readonly string[] {
  if (order === 'mae-dfer') return MAFW_CLASSES_MAE_DFER;
  if (order === 'dfer-clip') return MAFW_CLASSES_DFER_CLIP;
  throw new RangeError(`MAFW classOrder must be 'mae-dfer' or 'dfer-clip', got '${String(order)}'`);
}

/** The 22 FERV39K scene folder names. */
export const FERV39K_SCENES = [
  'Action',
  'Argue',
  'Business',
  'Conflict',
  'Contest',
  'Crime',
  'Crisis',
  'DailyLife',
  'ElegantArt',
  'Experiment',
  'History',
  'Interview',
  'Liveshow',
  'Medicine',
  'OfficialEvent',
  'ScholarReport',
  'School',
  'Social',
  'Speech',
  'Talkshow',
  'Terror',
  'War',
] as const;
