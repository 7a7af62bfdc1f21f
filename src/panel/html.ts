// The panel's HTML shell. Span content enters it only as the escaped JSON of
// `init` (see initJson), never as markup: the webview builds everything with
// createElement/textContent. Pure (no `vscode`), so the CSP is unit-tested.
import { randomBytes } from 'node:crypto';

export interface HtmlParts {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** The bundle is an ES module (the panel's, split into chunks that load from dist/). */
  module?: boolean;
  /** Chunks the module imports statically, fetched alongside it. */
  preloadUris?: string[];
  /** The host's `init`, read by the webview before it says `ready` (the panel's EmbeddedInit). */
  init?: unknown;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Strict CSP: nothing by default; scripts only with this page's nonce; styles,
 * fonts and images only from the extension's own files. No 'unsafe-inline':
 * the toolkit styles its components with constructable stylesheets
 * (adoptedStyleSheets), which CSP does not gate, and element.style assignments
 * (CSSOM) are allowed; only `style="…"` attributes and <style> elements are
 * blocked. The style nonce exists for one toolkit probe: FAST checks
 * `:focus-visible` support by inserting a <style> carrying the nonce it reads
 * from <meta property="csp-nonce">; without it the probe fails (console error)
 * and focus rings fall back to `:focus`.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

/**
 * JSON for a <script type="application/json"> element. Its text ends at the
 * first `</script` and `<!--` changes how it is parsed, so every `<` is
 * written as \u003c (JSON.parse reads it back as `<`).
 */
export function initJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function panelHtml(p: HtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta property="csp-nonce" content="${attr(p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(p.styleUri)}">
${(p.preloadUris ?? []).map((u) => `<link rel="modulepreload" href="${attr(u)}" nonce="${attr(p.nonce)}">\n`).join('')}<title>Span Inspector</title>
</head>
<body>
<div id="app" data-testid="panel-root"></div>
${p.init === undefined ? '' : `<script type="application/json" id="init">${initJson(p.init)}</script>\n`}<script nonce="${attr(p.nonce)}"${p.module ? ' type="module"' : ''} src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
