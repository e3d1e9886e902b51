// Batch buffers, in SharedArrayBuffers when workers fill them (they write in place, no copy back), reused
// once the tensor made from them is disposed (tfjs' CPU backend keeps the array it is given; WASM and
// WebGPU copy it, so for them reuse is always safe after disposal too).
import type * as tf from '@tensorflow/tfjs-core';

type Ctor = Float32ArrayConstructor | Int32ArrayConstructor;

export class BufferPool<A extends Float32Array | Int32Array> {
  private free: A[] = [];
  private lent: { array: A; tensor?: tf.Tensor }[] = [];

  constructor(
    private readonly ctor: Ctor,
    private readonly length: number,
    private readonly shared: boolean,
  ) {}

  /** A buffer of `length` values (zeroing is not guaranteed). */
  take(): A {
    // Buffers whose tensors are gone can be handed out again.
    this.lent = this.lent.filter((l) => {
      if (l.tensor && l.tensor.isDisposed) {
        this.free.push(l.array);
        return false;
      }
      return true;
    });
    const array = this.free.pop() ?? this.allocate();
    this.lent.push({ array });
    return array;
  }

  private allocate(): A {
    if (!this.shared) return new this.ctor(this.length) as A;
    const sab = new SharedArrayBuffer(this.length * 4);
    return (this.ctor === Int32Array ? new Int32Array(sab) : new Float32Array(sab)) as A;
  }

  /** `array` now backs `tensor` (reused after the tensor is disposed), or is free again (no tensor). */
  settle(array: A, tensor?: tf.Tensor): void {
    const l = this.lent.find((x) => x.array === array);
    if (!l) return;
    if (tensor) l.tensor = tensor;
    else {
      this.lent.splice(this.lent.indexOf(l), 1);
      this.free.push(array);
    }
  }
}

export const canShare = (): boolean => typeof SharedArrayBuffer !== 'undefined';
