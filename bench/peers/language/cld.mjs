// CLD2 (npm cld 2.10.1, Google's Compact Language Detector 2 compiled by node-gyp) on the
// benchmark's texts, as polyglot calls it for FastChat's detect_language: the top language's
// code, or "unknown" when CLD2 says the result is not reliable or cannot tell (polyglot raises
// UnknownLanguage then, and FastChat writes "unknown"). Reads TEXTS (one JSON string per line),
// prints one JSON line per text {code}. Usage: node cld.mjs TEXTS
import cld from 'cld';
import { readFileSync } from 'node:fs';
const texts = readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l));
const out = [];
for (const t of texts) {
  try {
    const r = await cld.detect(t);
    out.push(JSON.stringify({ code: r.reliable && r.languages.length ? r.languages[0].code : 'unknown' }));
  } catch (e) {
    out.push(JSON.stringify({ code: 'unknown' }));
  }
}
process.stdout.write(out.join('\n') + '\n');
