#!/usr/bin/env node
// Writes the o200k_base ranks that the count_tokens endpoints load (route-openai and
// route-anthropic, key `o200k_ranks_path`) as a .tiktoken file: one `<base64 token> <rank>` line
// per token. The ranks come from the npm `tiktoken` package (installed with
// `npm install tiktoken@1.0.22`, or the copy tests/e2e installs), so an operator needs only
// Debian's nodejs and npm.
//
//   node packaging/o200k-ranks.mjs <node_modules dir> <output file>
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [modules, output] = process.argv.slice(2);
if (!modules || !output) {
  console.error('usage: o200k-ranks.mjs <node_modules dir> <output file>');
  process.exit(2);
}
// The package keeps each encoder as {pat_str, special_tokens, bpe_ranks}; bpe_ranks holds
// lines of `! <first rank> <base64 token> <base64 token> ...` with consecutive ranks.
const encoder = JSON.parse(readFileSync(join(modules, 'tiktoken', 'encoders', 'o200k_base.json'), 'utf8'));
const lines = [];
for (const line of encoder.bpe_ranks.split('\n')) {
  if (!line) continue;
  const [, first, ...tokens] = line.split(' ');
  const offset = Number.parseInt(first, 10);
  tokens.forEach((token, i) => lines.push(`${token} ${offset + i}`));
}
if (lines.length < 199000) {
  console.error(`only ${lines.length} ranks found; is this the o200k_base encoder?`);
  process.exit(1);
}
writeFileSync(`${output}.tmp`, `${lines.join('\n')}\n`);
renameSync(`${output}.tmp`, output);
console.log(`${output}: ${lines.length} ranks`);
