/** DI token of the loaded console files (ConsoleAssets). */
export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');

/**
 * The console's Content-Security-Policy: its own scripts, styles and API only. No inline script or style,
 * no eval, no plugins, no framing, no <base> tricks; and Trusted Types with no policy at all, so a stray
 * `innerHTML = …` throws instead of becoming an XSS sink.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types',
].join('; ');
