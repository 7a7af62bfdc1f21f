// Every contextValue the tree uses, in one place. package.json `when` clauses
// match them by regex (e.g. `viewItem =~ /^spanInspector\.span\b/`), so a
// value may carry suffixes such as `.navigable` without breaking menus.
export const ContextValues = {
  backend: 'spanInspector.backend',
  backendError: 'spanInspector.backend.error',
  session: 'spanInspector.session',
  trace: 'spanInspector.trace',
  span: 'spanInspector.span',
  /** A span with a prompt, agent or tool reference to jump to. */
  spanNavigable: 'spanInspector.span.navigable',
  loadMore: 'spanInspector.loadMore',
  error: 'spanInspector.error',
  message: 'spanInspector.message',
  /** Suffix: the session or span has an ARN to copy. */
  arnSuffix: '.arn',
  /** Suffix: the session is loading (Stop Loading applies). */
  loadingSuffix: '.loading',
} as const;
