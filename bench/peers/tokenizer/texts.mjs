// The conformance texts, chosen identically by the Java test (LlamaConformanceTest.texts):
// every 8th langid sentence (79 languages), both MT-bench turns, all ShareGPT dummy messages of the
// first 150 conversations, and the first 300 HH-RLHF "chosen" transcripts.
import fs from 'fs';
import zlib from 'zlib';
export function texts(shared) {
  const out = [];
  const langid = zlib.gunzipSync(fs.readFileSync(shared + '/langid-sentences-dev.tsv.gz')).toString('utf8').split('\n');
  for (let i = 1; i < langid.length; i++) {
    if (!langid[i]) continue;
    if ((i - 1) % 8 !== 0) continue;
    const cols = langid[i].split('\t');
    out.push(['langid', i, cols.slice(2).join('\t')]);
  }
  const mt = fs.readFileSync(shared + '/mt-bench-questions.jsonl', 'utf8').split('\n').filter(Boolean);
  mt.forEach((l, i) => JSON.parse(l).turns.forEach((t, j) => out.push(['mt-bench', i * 10 + j, t])));
  const sg = JSON.parse(fs.readFileSync(shared + '/fastchat-dummy-conversation.json', 'utf8'));
  sg.slice(0, 150).forEach((c, i) => c.conversations.forEach((m, j) => out.push(['sharegpt', i * 1000 + j, m.value])));
  const hh = zlib.gunzipSync(fs.readFileSync(shared + '/hh-rlhf-harmless-base-test.jsonl.gz')).toString('utf8').split('\n').filter(Boolean);
  hh.slice(0, 300).forEach((l, i) => out.push(['hh', i, JSON.parse(l).chosen]));
  return out;
}
