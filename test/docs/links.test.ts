import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkedDocuments } from './documents.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { files: string[] };

const documents = linkedDocuments;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (file: string) =>
  new Set([...readFileSync(file, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug(match[1]!.replace(/`/g, ''))));

/** Whether a path inside the repository ends up in the published tarball (package.json `files`). */
const isPublished = (path: string) => pkg.files.some((entry) => path === entry || path.startsWith(`${entry}/`));

describe('links in the published documents', () => {
  it.each(documents)('should point %s only at files the package ships, and at headings that exist', (document) => {
    const text = readFileSync(resolve(root, document), 'utf8');
    const problems: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const [path, anchor] = target!.split('#');
      const file = path ? resolve(dirname(resolve(root, document)), path) : resolve(root, document);
      const inRepo = relative(root, file);
      if (!existsSync(file)) problems.push(`${target}: no such file`);
      else if (!isPublished(inRepo)) problems.push(`${target}: ${inRepo} is not in the published package`);
      else if (anchor && !anchorsOf(file).has(anchor)) problems.push(`${target}: no heading #${anchor}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(documents)('should not send readers of %s to files outside the package by name', (document) => {
    const text = readFileSync(resolve(root, document), 'utf8');
    expect(text).not.toMatch(/\.\.\/shared|DESIGN\.md|\(\.\.\/(src|machines|test)\//);
  });
});
