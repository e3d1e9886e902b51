// The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises with speed,
// so a still face's box stops jittering and a moving one does not lag. Speeds are measured in units of
// `scale` per second (the face size), so one setting suits near and far faces.

export interface OneEuroOptions {
  /** Cutoff frequency at rest, Hz (lower: smoother, more lag). */
  minCutoff: number;
  /** How fast the cutoff rises with speed (per face-size per second). */
  beta: number;
  /** Cutoff for the speed estimate, Hz. */
  derivativeCutoff: number;
}

export const ONE_EURO_DEFAULTS: OneEuroOptions = { minCutoff: 1.5, beta: 1.5, derivativeCutoff: 1 };

function alpha(cutoff: number, dt: number): number {
  const tau = 1 / (2 * Math.PI * cutoff);
  return 1 / (1 + tau / dt);
}

export class OneEuroFilter {
  private x?: number;
  private dx = 0;
  private t?: number;

  constructor(private readonly options: OneEuroOptions = ONE_EURO_DEFAULTS) {}

  /** Filters `value` observed at `time` seconds; `scale` (> 0) normalises the speed. */
  filter(value: number, time: number, scale = 1): number {
    if (this.x === undefined || this.t === undefined || !(time > this.t)) {
      // First value, or no time passed (a repeated timestamp): nothing to smooth against.
      if (this.x === undefined || this.t === undefined) {
        this.x = value;
        this.t = time;
      }
      return this.x;
    }
    const dt = time - this.t;
    const speed = (value - this.x) / dt;
    this.dx += alpha(this.options.derivativeCutoff, dt) * (speed - this.dx);
    const cutoff = this.options.minCutoff + this.options.beta * (Math.abs(this.dx) / Math.max(scale, 1e-6));
    this.x += alpha(cutoff, dt) * (value - this.x);
    this.t = time;
    return this.x;
  }

  get value(): number | undefined {
    return this.x;
  }
}
