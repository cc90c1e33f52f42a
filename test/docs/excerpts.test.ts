import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentsWithCode } from './documents.js';

const root = resolve(import.meta.dirname, '../..');

/** The embedding guides quote the examples' files. */
const documents = documentsWithCode.filter((document) => document.startsWith('docs/embedding/'));

interface Excerpt {
  name: string;
  file: string;
  /** The quoted pieces, in order: the block split at its elision lines (`// …`, or a JSX comment of `…`). */
  pieces: string[];
}

/** Every fenced block right below an `<!-- excerpt: FILE -->` comment. */
export function excerpts(document: string, text: string): Excerpt[] {
  const found: Excerpt[] = [];
  for (const match of text.matchAll(/^<!--[ \t]*excerpt:[ \t]*(\S+)[ \t]*-->[ \t]*\n```[^\n]*\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, match.index).split('\n').length + 1;
    const pieces = match[2]!
      .split(/^[ \t]*(?:\/\/ …|\{\/\* … \*\/\})[ \t]*\n/m)
      .map((piece) => piece.replace(/^\n+|\s+$/g, ''))
      .filter((piece) => piece.length > 0);
    found.push({ name: `${document}:${line}`, file: match[1]!, pieces });
  }
  return found;
}

const all = documents.flatMap((document) => excerpts(document, readFileSync(resolve(root, document), 'utf8')));

describe('code the embedding guides quote from the examples', () => {
  it('should find the excerpts, and split a block at its elision lines', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    const [one] = excerpts('x.md', '<!-- excerpt: a.ts -->\n```ts\nconst a = 1;\n// …\nconst b = 2;\n```\n');
    expect(one).toEqual({ name: 'x.md:2', file: 'a.ts', pieces: ['const a = 1;', 'const b = 2;'] });
  });

  it.each(all.map((excerpt) => [excerpt.name, excerpt] as const))('should quote %s word for word, in the order of the file', (_, excerpt) => {
    const path = resolve(root, excerpt.file);
    expect(existsSync(path), `${excerpt.file} does not exist`).toBe(true);
    const source = readFileSync(path, 'utf8');
    let from = 0;
    for (const piece of excerpt.pieces) {
      const at = source.indexOf(piece, from);
      expect(at, `not found in ${excerpt.file} (after offset ${from}):\n${piece}`).toBeGreaterThanOrEqual(0);
      from = at + piece.length;
    }
  });
});
