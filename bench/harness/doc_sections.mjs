// docs/benchmarks.md is shared by several scripts: each owns the text between its
// `<!-- name:begin -->` and `<!-- name:end -->` markers and leaves the rest alone.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

/// Replaces section `name` of the markdown file at `path` with `body`, or appends it.
export function writeSection(path, name, body) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${begin}\n${body.trim()}\n${end}`;
  let doc = existsSync(path) ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nEvery figure here is written by a script in `bench/`, with the command that produced it.\n';
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  doc = from >= 0 && to > from
    ? doc.slice(0, from) + section + doc.slice(to + end.length)
    : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, doc);
}
