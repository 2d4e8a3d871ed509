// Writes the expected ids of every conformance text as JSON lines {source, index, ids}.
import llamaTokenizer from 'llama-tokenizer-js';
import { texts } from './texts.mjs';
const shared = process.argv[2];
for (const [source, index, text] of texts(shared)) {
  process.stdout.write(JSON.stringify({ source, index, ids: llamaTokenizer.encode(text) }) + '\n');
}
