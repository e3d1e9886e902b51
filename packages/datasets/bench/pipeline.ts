// Input-pipeline benchmark (not a test). From the repository root:
//   npm run bench -w @adatosk/datasets -- [clips] [concurrency] [train|test] [cache|nocache]
// which bundles this file with esbuild and runs it with Node. Prints one JSON object.
import { benchmarkPipeline } from '../src/index.js';

const [clips, concurrency, mode, cache] = process.argv.slice(2);
const result = await benchmarkPipeline({
  ...(clips ? { clips: Number(clips) } : {}),
  ...(concurrency ? { concurrency: Number(concurrency) } : {}),
  ...(mode ? { mode: mode as 'train' | 'test' } : {}),
  ...(cache ? { sharpCache: cache === 'cache' } : {}),
});
console.log(JSON.stringify(result, null, 2));
