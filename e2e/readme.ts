import { readFileSync } from 'node:fs';

/** The code block of the root README between `<!-- name:begin -->` and `<!-- name:end -->`. */
export function readmeBlock(name: string): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = new RegExp(`<!-- ${name}:begin -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(readme)?.[1];
  if (block === undefined) throw new Error(`README.md has no ${name} block between <!-- ${name}:begin --> and <!-- ${name}:end -->`);
  return block;
}
