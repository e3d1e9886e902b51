import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDataset, encodeVideo, listDatasets, renderSyntheticClip, sortFrameNames, writeFrame } from '@adatosk/datasets';
import { tempDir } from './helpers/tmp.js';

async function writeClipDir(dir: string, names: string[], size = 8) {
  const clip = renderSyntheticClip(1, 0, { numFrames: names.length, size });
  await Promise.all(
    names.map((n, k) =>
      writeFrame(join(dir, n), clip.frames[k]!, size, size, n.endsWith('.png') ? 'png' : n.endsWith('.bmp') ? 'bmp' : 'jpg'),
    ),
  );
  return clip;
}

describe("users' own data", () => {
  it('sorts frames by the last integer in the stem and ignores non-images', () => {
    expect(sortFrameNames(['10.jpg', '2.jpg', '1.jpg'])).toEqual(['1.jpg', '2.jpg', '10.jpg']);
    expect(sortFrameNames(['00001_00010.jpg', '00001_00002.jpg', 'img_3.png'])).toEqual([
      '00001_00002.jpg',
      'img_3.png',
      '00001_00010.jpg',
    ]);
  });

  it('class-per-folder: frame folders (jpg, png, bmp with a stray n_frames file) and videos', async () => {
    const { dir, cleanup } = await tempDir('folder');
    try {
      await writeClipDir(join(dir, 'train', 'happy', 'clip1'), ['0.jpg', '1.jpg', '2.jpg']);
      await writeClipDir(join(dir, 'train', 'sad', 'clip2'), ['1.bmp', '2.bmp', '3.bmp', '10.bmp']);
      await writeFile(join(dir, 'train', 'sad', 'clip2', 'n_frames'), '4');
      await writeClipDir(join(dir, 'train', 'sad', 'clip3'), ['a_1.png', 'a_2.png']);
      const clip = renderSyntheticClip(3, 1, { numFrames: 6, size: 16 });
      await encodeVideo(join(dir, 'train', 'happy', 'movie.mp4'), clip.frames, 16, 16);
      const ds = await createDataset('folder', { root: dir, split: 'train', size: 8, numFrames: 4, stride: 1 });
      expect(ds.classes).toEqual(['happy', 'sad']);
      expect(ds.ids).toEqual(['happy/clip1', 'happy/movie', 'sad/clip2', 'sad/clip3']);
      expect(ds.labels).toEqual([0, 0, 1, 1]);
      for (let i = 0; i < ds.length; i++) expect((await ds.load(i, { mode: 'train' })).shape).toEqual([4, 8, 8, 3]);
      expect((await ds.load(2, { mode: 'test' })).sourceFrames).toEqual([0, 1, 2, 3]);
      await expect(createDataset('folder', { root: dir, split: 'train', classes: ['happy'] })).rejects.toThrow(
        /class folder 'sad' is not in classes/,
      );
      await expect(createDataset('folder', { root: dir, split: 'val' })).rejects.toThrow(/is not a folder/);
    } finally {
      await cleanup();
    }
  });

  it('list files: `path label`, `path nframes label`, word labels; escapes, bad labels and empty lists fail with the line', async () => {
    const { dir, cleanup } = await tempDir('list');
    try {
      await writeClipDir(join(dir, 'clips', 'a'), ['1.jpg', '2.jpg']);
      await writeClipDir(join(dir, 'clips', 'b'), ['1.jpg', '2.jpg', '3.jpg']);
      await writeFile(join(dir, 'train.txt'), 'clips/a 0\nclips/b 3 1\n');
      const ds = await createDataset('list', { root: dir, listFile: 'train.txt', size: 8, numFrames: 2 });
      expect(ds.classes).toEqual(['0', '1']);
      expect(ds.labels).toEqual([0, 1]);
      expect(ds.name).toBe('list/train');
      await writeFile(join(dir, 'words.txt'), 'clips/a Happy\r\nclips/b sad\r\n');
      const words = await createDataset('list', { root: dir, listFile: 'words.txt', classes: ['Happy', 'Sad'] });
      expect(words.labels).toEqual([0, 1]);
      // Frames of different sizes in one clip still crop correctly.
      const odd = renderSyntheticClip(2, 3, { numFrames: 2, size: 24 });
      await writeFrame(join(dir, 'clips', 'mixed', '1.png'), renderSyntheticClip(2, 3, { numFrames: 1, size: 8 }).frames[0]!, 8, 8, 'png');
      await writeFrame(join(dir, 'clips', 'mixed', '2.png'), odd.frames[1]!, 24, 24, 'png');
      await writeFile(join(dir, 'mixed.txt'), 'clips/mixed 0\n');
      const mixed = await createDataset('list', { root: dir, listFile: 'mixed.txt', size: 8, numFrames: 2, stride: 1 });
      for (let epoch = 0; epoch < 6; epoch++) expect((await mixed.load(0, { mode: 'train', epoch })).shape).toEqual([2, 8, 8, 3]);
      await writeFile(join(dir, 'bad.txt'), 'clips/a 0\n../outside 1\n');
      await expect(createDataset('list', { root: dir, listFile: 'bad.txt' })).rejects.toThrow(
        /bad\.txt:2: path '\.\.\/outside' escapes the dataset root/,
      );
      await writeFile(join(dir, 'bad.txt'), '/etc/passwd 0\n');
      await expect(createDataset('list', { root: dir, listFile: 'bad.txt' })).rejects.toThrow(/bad\.txt:1: .*escapes/);
      await writeFile(join(dir, 'bad.txt'), 'clips/a 0\nclips/b Angry\n');
      await expect(createDataset('list', { root: dir, listFile: 'bad.txt', classes: ['Happy', 'Sad'] })).rejects.toThrow(
        /bad\.txt:2: unknown label 'Angry'/,
      );
      await writeFile(join(dir, 'bad.txt'), 'clips/a\n');
      await expect(createDataset('list', { root: dir, listFile: 'bad.txt' })).rejects.toThrow(/bad\.txt:1: malformed line/);
      await writeFile(join(dir, 'bad.txt'), '\n\n');
      await expect(createDataset('list', { root: dir, listFile: 'bad.txt' })).rejects.toThrow(/bad\.txt: split file lists no clips/);
      await mkdir(join(dir, 'clips', 'empty'));
      await writeFile(join(dir, 'empty.txt'), 'clips/empty 0\n');
      const empty = await createDataset('list', { root: dir, listFile: 'empty.txt' });
      await expect(empty.load(0, { mode: 'test' })).rejects.toMatchObject({ name: 'ClipLoadError', kind: 'empty' });
    } finally {
      await cleanup();
    }
  });

  it('registers every dataset by name', () => {
    expect(listDatasets().map((d) => d.name)).toEqual(expect.arrayContaining(['dfew', 'ferv39k', 'folder', 'list', 'mafw', 'synthetic']));
  });
});
