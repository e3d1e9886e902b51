// Writes one shard at a time under a temporary name; `finish` makes it complete under its final name
// (footer, fsync, rename, fsync of the folder), so a shard file that exists is whole.
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShardFrame } from '../work/types.js';
import { syncDir, tempName } from './atomic.js';
import { SHARD_DIR, encodeShardTail, shardName } from './format.js';

export class ShardWriter {
  private fh: FileHandle | undefined;
  private tmp = '';
  frames: ShardFrame[] = [];
  bytes = 0;
  firstClip = 0;

  constructor(
    private readonly dir: string,
    private readonly index: number,
  ) {}

  get name(): string {
    return shardName(this.index);
  }

  async append(payloads: Uint8Array[], crcs: number[]): Promise<number> {
    if (!this.fh) {
      this.tmp = tempName(join(this.dir, this.name));
      this.fh = await open(this.tmp, 'w');
    }
    const first = this.frames.length;
    for (let k = 0; k < payloads.length; k++) {
      const p = payloads[k]!;
      await this.fh.write(p, 0, p.length, this.bytes);
      this.frames.push({ offset: this.bytes, length: p.length, crc: crcs[k]! });
      this.bytes += p.length;
    }
    return first;
  }

  /** Footer, fsync, rename: after this the shard exists under its name, complete. */
  async finish(): Promise<{ bytes: number; tableCrc: number }> {
    if (!this.fh) {
      this.tmp = tempName(join(this.dir, this.name));
      this.fh = await open(this.tmp, 'w');
    }
    const { tail, tableCrc } = encodeShardTail(this.frames, this.bytes);
    await this.fh.write(tail, 0, tail.length, this.bytes);
    await this.fh.sync();
    await this.fh.close();
    this.fh = undefined;
    await rename(this.tmp, join(this.dir, this.name));
    await syncDir(join(this.dir, SHARD_DIR));
    return { bytes: this.bytes + tail.length, tableCrc };
  }

  /** Leaves the unfinished shard as a crash would (its temporary file is removed by the next run). */
  async abandon(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}
