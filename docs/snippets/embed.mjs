#!/usr/bin/env node
// Keeps the code blocks of docs/react.md, vue.md, concepts.md, server.md, nextjs.md, nuxt.md and protocol.md identical to the type-checked files in
// docs/snippets/. A block is `<!-- snippet: react/useEvent.tsx -->` followed by a fenced block.
// `node docs/snippets/embed.mjs` rewrites the blocks; `--check` exits 1 when one is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
for (const doc of ['../react.md', '../vue.md', '../concepts.md', '../server.md', '../nextjs.md', '../nuxt.md', '../protocol.md', '../rest-adapter.md', '../existing-backend.md']) {
  const text = readFileSync(here(doc), 'utf8');
  const next = text.replace(/<!-- snippet: (\S+) -->\n```(\w+)\n(?:[\s\S]*?\n)??```/g, (_m, file, lang) => {
    const code = readFileSync(here(`./${file}`), 'utf8').trimEnd();
    return `<!-- snippet: ${file} -->\n\`\`\`${lang}\n${code}\n\`\`\``;
  });
  if (next !== text) {
    stale++;
    if (!check) writeFileSync(here(doc), next);
    console.log(`${check ? 'stale' : 'updated'}: docs/${doc.slice(3)}`);
  }
}
if (check && stale) process.exit(1);
