// Prints the tiktoken npm package's o200k_base token ids for the texts of a corpus file (a JSON
// array of strings) and for seeded random texts mixing scripts, digits, punctuation and
// whitespace runs, as a JSON array of {text, ids}. Used by o200k_parity_test.cpp to compare the
// gateway's tokenizer with the reference.
//
//   node tiktoken_ids.mjs <corpus.json> <random texts>
import { readFileSync } from 'node:fs';
import { requireClient } from './harness.mjs';

const { get_encoding: getEncoding } = requireClient('tiktoken');

const [corpusFile, randomCount] = process.argv.slice(2);
const texts = JSON.parse(readFileSync(corpusFile, 'utf8'));

// A small deterministic generator (mulberry32), so a failing text can be reproduced.
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const alphabet = [...'abcXYZ019 \t\n\r  .,;:!?\'"-_/\\(){}[]<>@#$%^&*=+~`|éÉßøçñüÄ'
  + 'жЖйъ中文字日本語かなカナ한국어ÿ١٢٣ह्िनीअ\u0301\u200d👍🏽🚀\u00a0\u2003\u3000\u2028'];
const words = ["'s", "'T", "'re", "'ve", "'m", "'ll", "'d", 'HTTPServer', 'camelCase', '12345', 'don\'t'];
for (let i = 0; i < Number(randomCount ?? 0); ++i) {
  let text = '';
  const length = 1 + Math.floor(random() * 80);
  for (let j = 0; j < length; ++j) {
    text += random() < 0.1 ? words[Math.floor(random() * words.length)]
      : alphabet[Math.floor(random() * alphabet.length)];
  }
  texts.push(text);
}

const encoding = getEncoding('o200k_base');
const out = texts.map((text) => ({ text, ids: Array.from(encoding.encode_ordinary(text)) }));
encoding.free();
process.stdout.write(JSON.stringify(out));
