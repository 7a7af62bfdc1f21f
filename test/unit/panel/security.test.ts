import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy, initJson, makeNonce, panelHtml } from '../../../src/panel/html';
import { toJsonText } from '../../../src/panel/rawJson';
import { safeLink } from '../../../src/protocol';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('panel security', () => {
  it('uses a strict CSP: nothing by default, scripts only by nonce, no inline styles or eval', () => {
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'nonce-abc123'"]);
    assert.deepEqual(directives['style-src'], ['https://file+.vscode-resource.vscode-cdn.net', "'nonce-abc123'"]);
    assert.deepEqual(directives['font-src'], ['https://file+.vscode-resource.vscode-cdn.net']);
    assert.deepEqual(directives['img-src'], ['https://file+.vscode-resource.vscode-cdn.net']);
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp));
    assert.equal(directives['connect-src'], undefined);
  });

  it('puts the nonce on the only script and no span content in the page', () => {
    const nonce = makeNonce();
    const html = panelHtml({ cspSource: 'vscode-res:', nonce, scriptUri: 'vscode-res:/dist/webview.js', styleUri: 'vscode-res:/media/panel.css', codiconUri: 'vscode-res:/dist/codicons/codicon.css' });
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`));
    assert.ok(html.includes('dist/codicons/codicon.css') && html.includes('media/panel.css'));
    assert.ok(!/\son\w+=/.test(html), 'no inline event handlers');
  });

  it('loads the panel bundle as a module with the nonce, its chunks preloaded with the nonce', () => {
    const nonce = makeNonce();
    const html = panelHtml({ cspSource: 'vscode-res:', nonce, module: true, preloadUris: ['vscode-res:/dist/chunks/chunk-A.js'], scriptUri: 'vscode-res:/dist/webview.js', styleUri: 's', codiconUri: 'c' });
    assert.deepEqual(html.match(/<script[^>]*>/g), [`<script nonce="${nonce}" type="module" src="vscode-res:/dist/webview.js">`]);
    assert.deepEqual(html.match(/<link rel="modulepreload"[^>]*>/g), [`<link rel="modulepreload" href="vscode-res:/dist/chunks/chunk-A.js" nonce="${nonce}">`]);
  });

  it('embeds init as inert JSON that no text in it can end, read back unchanged', () => {
    const hostile = ['</script><script>alert(1)</script>', '</SCRIPT >', '<!--<script>', '<img src=x onerror=alert(1)>', '\u2028\u2029 & " \' ` ${x}', 'Zürich 🚀'];
    const init = { id: 'x1', state: { session: { id: 's', name: hostile.join(' | '), attributes: { more: hostile } } }, strings: { a: '</script>' } };
    const html = panelHtml({ cspSource: 'vscode-res:', nonce: 'n0nce', init, module: true, scriptUri: 'vscode-res:/dist/webview.js', styleUri: 's', codiconUri: 'c' });
    const m = /<script type="application\/json" id="init">([^]*?)<\/script>/.exec(html);
    assert.ok(m);
    assert.ok(!m[1].includes('<'), 'no < in the element');
    assert.deepEqual(JSON.parse(m[1]), init);
    // Only the data element and the bundle: nothing in the payload made another element.
    assert.equal(html.match(/<script/gi)?.length, 2);
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.ok(!/<img|<!--/i.test(html));
    assert.equal(initJson('</script>'), '"\\u003c/script>"');
  });

  it('makes unguessable nonces', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{20,}$/);
    assert.notEqual(a, makeNonce());
  });

  it('never builds DOM from HTML strings in the webview code', () => {
    const banned = /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|setAttribute\(\s*['"]style['"]|\bon[a-z]+\s*=\s*['"]/;
    const files = sources(path.join(root, 'webview'));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8').replace(/^\s*\/\/.*$/gm, '');
      assert.ok(!banned.test(text), `${path.relative(root, f)} builds DOM from strings`);
    }
  });

  it('never imports vscode or Node modules into the webview bundle', () => {
    for (const f of sources(path.join(root, 'webview'))) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!/from ['"](vscode|node:[^'"]+|fs|path|child_process)['"]/.test(text), path.relative(root, f));
    }
  });

  it('opens only http, https and mailto links', () => {
    assert.equal(safeLink('https://example.com/a b'), 'https://example.com/a%20b');
    assert.equal(safeLink('http://example.com'), 'http://example.com/');
    assert.equal(safeLink('mailto:a@b.c'), 'mailto:a@b.c');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:x', 'data:text/html,x', 'file:///etc/passwd', 'command:workbench.action.quit', 'vscode://x', 'relative/path', '', 42, undefined, `https://x/${'a'.repeat(9000)}`]) {
      assert.equal(safeLink(bad), undefined, String(bad).slice(0, 40));
    }
  });

  it('turns any wire record into JSON text for the Raw tab', () => {
    const rec: Record<string, unknown> = { n: 1n, bytes: new Uint8Array([1, 2, 3]), nested: { ok: true } };
    rec.self = rec;
    const text = toJsonText(rec);
    const back = JSON.parse(text);
    assert.equal(back.n, '1');
    assert.equal(back.bytes, '<3 bytes>');
    assert.equal(back.self, '[repeated reference]');
    assert.equal(toJsonText(undefined), 'null');
  });
});
