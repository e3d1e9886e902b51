// ffmpeg is an optional peer dependency: found through $ADATOSK_FFMPEG, @ffmpeg-installer/ffmpeg or PATH,
// and asked for by name when a video needs it and none is there.
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FFMPEG_PACKAGE, findFfmpeg } from '../src/io/video.js';

const missingInstaller = async () => {
  throw new Error(`Cannot find package '${FFMPEG_PACKAGE}'`);
};

describe('findFfmpeg', () => {
  it('prefers $ADATOSK_FFMPEG', async () => {
    expect(await findFfmpeg({ env: { ADATOSK_FFMPEG: '/opt/ffmpeg' }, loadInstaller: missingInstaller })).toBe('/opt/ffmpeg');
  });

  it('uses the binary @ffmpeg-installer/ffmpeg brings', async () => {
    const found = await findFfmpeg({
      env: {},
      loadInstaller: async () => ({ default: { path: '/pkg/ffmpeg' } }),
      exists: (f) => f === '/pkg/ffmpeg',
    });
    expect(found).toBe('/pkg/ffmpeg');
  });

  it('falls back to ffmpeg on PATH', async () => {
    const PATH = ['/nope', '/usr/local/bin'].join(delimiter);
    const exists = (f: string) => f === join('/usr/local/bin', 'ffmpeg');
    expect(await findFfmpeg({ env: { PATH }, loadInstaller: missingInstaller, exists, platform: 'linux' })).toBe(
      join('/usr/local/bin', 'ffmpeg'),
    );
  });

  it('names the package to install when there is no ffmpeg', async () => {
    await expect(findFfmpeg({ env: { PATH: '/nope' }, loadInstaller: missingInstaller, exists: () => false })).rejects.toThrow(
      /Decoding video needs ffmpeg, which is optional: npm install @ffmpeg-installer\/ffmpeg \(or put ffmpeg on PATH, or set ADATOSK_FFMPEG/,
    );
  });

  it('the real lookup finds the dev dependency here', async () => {
    const found = await findFfmpeg({ env: { PATH: '' } });
    expect(found).toMatch(/ffmpeg(\.exe)?$/);
  });
});
