// AdamW with decoupled weight decay and per-parameter learning-rate scales (PyTorch's torch.optim.AdamW update).
import * as tf from '@tensorflow/tfjs-core';

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
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** Applies one update with learning rate `lr` (before each parameter's lrScale). Disposes nothing it was given. */
  step(grads: Record<string, tf.Tensor>, lr: number): void {
    this.t += 1;
    const bc1 = 1 - Math.pow(this.beta1, this.t);
    const bc2 = 1 - Math.pow(this.beta2, this.t);
    for (const [name, p] of Object.entries(this.params)) {
      const g = grads[name];
      if (!g) continue; // parameters without gradient this step (e.g. an unused branch) are left alone
      const group = this.groups[name];
      const plr = lr * group.lrScale;
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      tf.tidy(() => {
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
