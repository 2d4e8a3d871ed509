// Times llama-tokenizer-js over the conformance texts (after loading; 3 passes, best), prints JSON.
import llamaTokenizer from 'llama-tokenizer-js';
import { texts } from './texts.mjs';
const all = texts(process.argv[2]).map(t => t[2]);
const passes = Number(process.argv[3] || 3);
let chars = 0, tokens = 0;
for (const t of all) { chars += t.length; }
let best = Infinity;
for (let p = 0; p < passes; p++) {
  const s = process.hrtime.bigint();
  tokens = 0;
  for (const t of all) tokens += llamaTokenizer.encode(t).length;
  const e = Number(process.hrtime.bigint() - s) / 1e9;
  best = Math.min(best, e);
}
console.log(JSON.stringify({ texts: all.length, chars, tokens, seconds: best }));
