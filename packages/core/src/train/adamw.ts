// AdamW with decoupled weight decay and per-parameter learning-rate scales (PyTorch's torch.optim.AdamW update).
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdamW, usesFusedAdamW, type AdamWParamStep } from '../ops/fused/adamw.js';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay coefficient (applied as p -= lr * wd * p). */
  weightDecay?: number;
}

/** How one parameter is optimised. */
export interface ParamGroup {
  /** Multiplier of the scheduled learning rate (layer-wise decay). */
  lrScale: number;
  /** Whether weight decay applies (false for biases, norms, position tables, mask tokens). */
  decay: boolean;
}

/** Global-norm clipping folded into a step: gradients are scaled by min(1, maxNorm / (norm + 1e-6)). */
export interface StepClip {
  /** The gradients' global norm (`globalNormTensor`), a device scalar; not disposed. */
  norm: tf.Scalar;
  maxNorm: number;
}

/** Moments and step count, as plain arrays: what a checkpoint stores. */
export interface AdamWState {
  t: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** Number of updates applied so far (bias correction uses t + 1 for the next one). */
  t = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Record<string, tf.Variable>,
    private readonly groups: Record<string, ParamGroup>,
    opts: AdamWOptions = {},
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0.05;
    for (const [name, p] of Object.entries(params)) {
      if (!groups[name]) throw new Error(`AdamW: no parameter group for '${name}'`);
      // In a tidy: the zeros a variable starts from would otherwise stay registered (and alive) after dispose().
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  /**
   * Applies one update with learning rate `lr` (before each parameter's lrScale), clipping the gradients by
   * their global norm first when `clip` is given. Where the backend has the fused AdamW kernel (WebGPU with
   * @adatosk/webgpu) every parameter updates in one kernel; elsewhere the same arithmetic runs as tf ops,
   * in the same order, so results agree to float32 rounding. Disposes nothing it was given.
   */
  step(grads: Record<string, tf.Tensor>, lr: number, clip?: StepClip): void {
    if (clip && !(clip.maxNorm > 0)) throw new Error(`AdamW.step: clip.maxNorm must be a positive number, got ${clip.maxNorm}`);
    this.t += 1;
    const bc1 = 1 - Math.pow(this.beta1, this.t);
    const bc2 = 1 - Math.pow(this.beta2, this.t);
    if (usesFusedAdamW()) {
      this.fusedStep(grads, lr, bc1, bc2, clip);
      return;
    }
    // The clip scale exactly as clipByGlobalNorm computes it (same ops: the CPU results stay bit for bit).
    const scale = clip ? tf.tidy(() => tf.minimum(tf.div(tf.scalar(clip.maxNorm), tf.add(clip.norm, 1e-6)), 1)) : undefined;
    try {
      for (const [name, p] of Object.entries(this.params)) {
        const g0 = grads[name];
        if (!g0) continue; // parameters without gradient this step (e.g. an unused branch) are left alone
        const group = this.groups[name];
        const plr = lr * group.lrScale;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        tf.tidy(() => {
          const g = scale ? tf.mul(g0, scale) : g0;
          const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
          const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
          const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(bc2)), this.epsilon);
          const update = tf.div(m1, denom);
          let p1: tf.Tensor = p;
          if (group.decay && this.weightDecay !== 0) p1 = tf.mul(p1, 1 - plr * this.weightDecay);
          p1 = tf.sub(p1, tf.mul(update, plr / bc1));
          m.assign(m1);
          v.assign(v1);
          p.assign(p1);
        });
      }
    } finally {
      scale?.dispose();
    }
  }

  /** Every parameter with a gradient in one fused kernel (same constants as the composite path). */
  private fusedStep(grads: Record<string, tf.Tensor>, lr: number, bc1: number, bc2: number, clip: StepClip | undefined): void {
    const names: string[] = [];
    const steps: AdamWParamStep[] = [];
    for (const [name, p] of Object.entries(this.params)) {
      const g = grads[name];
      if (!g) continue;
      const group = this.groups[name];
      const plr = lr * group.lrScale;
      names.push(name);
      steps.push({
        p,
        g,
        m: this.m.get(name)!,
        v: this.v.get(name)!,
        decayFactor: group.decay && this.weightDecay !== 0 ? 1 - plr * this.weightDecay : 1,
        stepSize: plr / bc1,
      });
    }
    if (steps.length === 0) return;
    tf.tidy(() => {
      const out = fusedAdamW(steps, { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, sqrtBc2: Math.sqrt(bc2), clip });
      out.forEach((o, i) => {
        const name = names[i]!;
        this.m.get(name)!.assign(o.m);
        this.v.get(name)!.assign(o.v);
        this.params[name]!.assign(o.p);
      });
    });
  }

  /** The state, read asynchronously (works on every backend, WebGPU in Node included). */
  async readState(): Promise<AdamWState> {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    const t = this.t;
    for (const [name, x] of this.m) m[name] = (await x.data()) as Float32Array;
    for (const [name, x] of this.v) v[name] = (await x.data()) as Float32Array;
    return { t, m, v };
  }

  setState(state: AdamWState): void {
    for (const [name, mv] of this.m) {
      const mm = state.m[name];
      const vv = state.v[name];
      if (!mm || !vv) throw new Error(`AdamW: checkpoint has no optimiser state for '${name}'; it was saved from a different model`);
      if (mm.length !== mv.size) throw new Error(`AdamW: optimiser state for '${name}' has ${mm.length} values, expected ${mv.size}`);
      tf.tidy(() => {
        mv.assign(tf.tensor(mm, mv.shape));
        this.v.get(name)!.assign(tf.tensor(vv, mv.shape));
      });
    }
    this.t = state.t;
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
