import * as assert from 'node:assert/strict';
import { ALLOWED_TAGS, markdownToTree, treeText, type MdElement, type MdNode } from '../../../webview/markdown';
import { useEnglishPanelStrings } from '../../support/panelStrings';

function elements(nodes: MdNode[]): MdElement[] {
  const out: MdElement[] = [];
  const visit = (n: MdNode) => {
    if (n.kind === 'el') {
      out.push(n);
      n.children.forEach(visit);
    }
  };
  nodes.forEach(visit);
  return out;
}

function find(nodes: MdNode[], tag: string): MdElement[] {
  return elements(nodes).filter((e) => e.tag === tag);
}

before(useEnglishPanelStrings);

describe('panel markdown sanitizer', () => {
  it('keeps raw HTML as text, never as elements', () => {
    const tree = markdownToTree('Hello <script>alert(1)</script> <img src=x onerror=alert(1)> <b>bold</b>\n\n<div onclick="x()">block</div>');
    const tags = new Set(elements(tree).map((e) => e.tag));
    assert.ok(!tags.has('script' as never) && !tags.has('img' as never) && !tags.has('div' as never) && !tags.has('b' as never));
    assert.match(treeText(tree), /<script>alert\(1\)<\/script>/);
    assert.match(treeText(tree), /<div onclick="x\(\)">block<\/div>/);
  });

  it('only produces allow-listed tags, whatever the input', () => {
    const src = '# H1\n###### H6\n\n> quote\n\n1. one\n2. two\n\n- a\n- b\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n---\n\n`code` **b** *i* ~~s~~\n\n```ts\nlet x = 1;\n```\n\n    indented\n\nline  \nbreak';
    const all = elements(markdownToTree(src));
    assert.ok(all.length > 15);
    for (const e of all) assert.ok(ALLOWED_TAGS.has(e.tag), `unexpected tag ${e.tag}`);
    for (const tag of ['h1', 'h6', 'blockquote', 'ol', 'ul', 'li', 'table', 'th', 'td', 'hr', 'code', 'strong', 'em', 's', 'pre', 'br']) {
      assert.ok(all.some((e) => e.tag === tag), `missing ${tag}`);
    }
  });

  it('keeps http, https and mailto links and drops every other scheme', () => {
    const tree = markdownToTree('[a](https://example.com/x?y=1) [b](http://example.com) [c](mailto:me@example.com) [d](javascript:alert(1)) [e](vbscript:x) [f](data:text/html,<b>x</b>) [g](file:///etc/passwd) [h](command:workbench.action.quit) [i](vscode://settings)');
    const links = find(tree, 'a');
    assert.deepEqual(
      links.map((l) => l.href),
      ['https://example.com/x?y=1', 'http://example.com/', 'mailto:me@example.com'],
    );
    // The text of dropped links stays visible.
    for (const t of ['d', 'e', 'g', 'h', 'i']) assert.match(treeText(tree), new RegExp(`\\b${t}\\b`));
  });

  it('links bare URLs (linkify) with the same filter', () => {
    const links = find(markdownToTree('see https://example.com/a and www.example.org'), 'a');
    assert.equal(links[0].href, 'https://example.com/a');
    assert.ok(links.every((l) => /^https?:/.test(l.href ?? '')));
  });

  it('never loads images: shows the alt text, linked only when the URL is safe', () => {
    const tree = markdownToTree('![cat](https://example.com/cat.png) ![evil](javascript:alert(1))');
    assert.ok(!elements(tree).some((e) => (e.tag as string) === 'img'));
    assert.match(treeText(tree), /\[image: cat\]/);
    // markdown-it does not even treat a javascript: image as an image: it stays literal text.
    assert.match(treeText(tree), /!\[evil\]\(javascript:alert\(1\)\)/);
    assert.deepEqual(find(tree, 'a').map((a) => a.href), ['https://example.com/cat.png']);
  });

  it('keeps code verbatim and records the fence language', () => {
    const tree = markdownToTree('```python extra\nprint("<b>")\n```');
    const code = find(tree, 'code')[0];
    assert.equal(code.lang, 'python');
    assert.equal(treeText(code.children), 'print("<b>")\n');
  });

  it('maps table alignment and ordered list start without style strings', () => {
    const tree = markdownToTree('3. three\n4. four\n\n| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    assert.equal(find(tree, 'ol')[0].start, 3);
    assert.deepEqual(find(tree, 'th').map((t) => t.align), ['left', 'center', 'right']);
  });

  it('keeps the text of input nested deeper than markdown-it renders', () => {
    const tree = markdownToTree('>'.repeat(500) + ' deep');
    assert.match(treeText(tree), /deep/);
  });
});
