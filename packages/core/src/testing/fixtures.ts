/** The golden VideoMAE fixture files (see shared/fixtures/videomae-tiny/README.md), as bytes. */
export interface FixtureBytes {
  /** HF `config.json` text. */
  config: string;
  /** `VideoMAEForPreTraining` weights. */
  pretrain: Uint8Array;
  /** `VideoMAEForVideoClassification` weights. */
  classifier: Uint8Array;
  /** Inputs, outputs, losses and gradients. */
  io: Uint8Array;
}

export const FIXTURE_FILES = {
  config: 'config.json',
  pretrain: 'pretrain.safetensors',
  classifier: 'classifier.safetensors',
  io: 'io.safetensors',
} as const;

/** Read the fixture directory in Node (`node:fs` is imported lazily so browsers never load it). */
export async function loadFixturesFromDir(dir: string): Promise<FixtureBytes> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const read = (f: string) => fs.readFile(path.join(dir, f));
  const [config, pretrain, classifier, io] = await Promise.all([
    read(FIXTURE_FILES.config), read(FIXTURE_FILES.pretrain), read(FIXTURE_FILES.classifier), read(FIXTURE_FILES.io),
  ]);
  const bytes = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return { config: new TextDecoder().decode(config), pretrain: bytes(pretrain), classifier: bytes(classifier), io: bytes(io) };
}

/** Fetch the fixture files from a base URL (browser pages). */
export async function loadFixturesFromUrl(baseUrl: string): Promise<FixtureBytes> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (f: string) => {
    const res = await fetch(base + f);
    if (!res.ok) throw new Error(`fixture ${base + f}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const [config, pretrain, classifier, io] = await Promise.all([
    get(FIXTURE_FILES.config), get(FIXTURE_FILES.pretrain), get(FIXTURE_FILES.classifier), get(FIXTURE_FILES.io),
  ]);
  return { config: new TextDecoder().decode(config), pretrain, classifier, io };
}

/**
 * Find `shared/fixtures/<name>` in Node: `$ADATOSK_FIXTURES` (the fixtures root), else walk up
 * from `start` (default `process.cwd()`) looking for `shared/fixtures` or `../shared/fixtures`
 * (CI copies `shared/` beside the clone).
 */
export async function findFixturesDir(name = 'videomae-tiny', start?: string): Promise<string> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const env = typeof process !== 'undefined' ? process.env.ADATOSK_FIXTURES : undefined;
  if (env) return path.join(env, name);
  let dir = path.resolve(start ?? process.cwd());
  for (;;) {
    for (const cand of [path.join(dir, 'shared', 'fixtures', name), path.join(dir, '..', 'shared', 'fixtures', name)])
      if (fs.existsSync(path.join(cand, FIXTURE_FILES.io))) return cand;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`fixtures "${name}" not found from ${start ?? process.cwd()}: set ADATOSK_FIXTURES to the folder holding ${name}/ (../shared/fixtures relative to the repo root)`);
}
