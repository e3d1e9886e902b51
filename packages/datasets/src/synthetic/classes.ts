// The synthetic dataset's classes and what each expression does to the cartoon face at its apex.

/** The 7 DFEW classes in DFEW/MAE-DFER order. */
export const SYNTHETIC_CLASSES = ['Happy', 'Sad', 'Neutral', 'Angry', 'Surprise', 'Disgust', 'Fear'] as const;
export type SyntheticClass = (typeof SYNTHETIC_CLASSES)[number];

/** Face controls, neutral = all zero except `width = 1` and `eyeOpen = 1`. */
export interface Expression {
  /** Mouth corners up (+) or down (-). */
  smile: number;
  /** Mouth opening. */
  open: number;
  /** Mouth width factor. */
  width: number;
  /** Brows up (+) or down (-). */
  browRaise: number;
  /** Inner brow ends up (+, sad/fear) or down (-, angry). */
  browTilt: number;
  /** Eye opening factor (1 neutral, 0 closed). */
  eyeOpen: number;
  /** Nose wrinkle lines (disgust). */
  wrinkle: number;
  /** One-sided mouth raise (disgust's sneer). */
  sneer: number;
}

export const NEUTRAL_FACE: Expression = {
  smile: 0,
  open: 0,
  width: 1,
  browRaise: 0,
  browTilt: 0,
  eyeOpen: 1,
  wrinkle: 0,
  sneer: 0,
};

/** Apex expression per class. Each class differs from every other in at least two large features. */
export const APEX_FACES: Record<SyntheticClass, Expression> = {
  Happy: { smile: 1, open: 0.35, width: 1.25, browRaise: 0.15, browTilt: 0, eyeOpen: 0.55, wrinkle: 0, sneer: 0 },
  Sad: { smile: -0.9, open: 0, width: 0.9, browRaise: 0, browTilt: 1, eyeOpen: 0.7, wrinkle: 0, sneer: 0 },
  Neutral: NEUTRAL_FACE,
  Angry: { smile: -0.35, open: 0, width: 0.75, browRaise: -0.8, browTilt: -1, eyeOpen: 0.75, wrinkle: 0, sneer: 0 },
  Surprise: { smile: 0, open: 1, width: 0.6, browRaise: 1, browTilt: 0, eyeOpen: 1.6, wrinkle: 0, sneer: 0 },
  Disgust: { smile: -0.3, open: 0.1, width: 0.95, browRaise: -0.4, browTilt: -0.2, eyeOpen: 0.6, wrinkle: 1, sneer: 1 },
  Fear: { smile: -0.4, open: 0.55, width: 1.3, browRaise: 0.7, browTilt: 0.9, eyeOpen: 1.5, wrinkle: 0, sneer: 0 },
};

/** How the expression unfolds in time, per class: frames to reach the apex and to relax, as fractions of the active span. */
export const CLASS_DYNAMICS: Record<SyntheticClass, { rise: number; fall: number }> = {
  Happy: { rise: 0.5, fall: 0.5 },
  Sad: { rise: 0.7, fall: 0.6 },
  Neutral: { rise: 0.5, fall: 0.5 },
  Angry: { rise: 0.5, fall: 0.4 },
  Surprise: { rise: 0.15, fall: 0.7 },
  Disgust: { rise: 0.5, fall: 0.5 },
  Fear: { rise: 0.3, fall: 0.6 },
};

/** Linear blend neutral -> apex at intensity `k` in [0, 1]. */
export function blendExpression(apex: Expression, k: number): Expression {
  const n = NEUTRAL_FACE;
  return {
    smile: n.smile + k * (apex.smile - n.smile),
    open: n.open + k * (apex.open - n.open),
    width: n.width + k * (apex.width - n.width),
    browRaise: n.browRaise + k * (apex.browRaise - n.browRaise),
    browTilt: n.browTilt + k * (apex.browTilt - n.browTilt),
    eyeOpen: n.eyeOpen + k * (apex.eyeOpen - n.eyeOpen),
    wrinkle: n.wrinkle + k * (apex.wrinkle - n.wrinkle),
    sneer: n.sneer + k * (apex.sneer - n.sneer),
  };
}
