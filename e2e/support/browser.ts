// Drives Debian's Chromium (apt-get install chromium) through playwright-core: Playwright's own browser
// download is not available here, so the suite points it at the system binary. One browser per test file, a
// fresh profile directory each time.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumBin } from '@lockwell/local-infra';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested or navigated to, in order. */
  urls: string[];
  /** Console errors about the Content-Security-Policy or Trusted Types, and uncaught page errors. */
  violations: string[];
  close(): Promise<void>;
}

export async function openBrowser(
  opts: { viewport?: { width: number; height: number } } = {},
): Promise<ConsoleBrowser> {
  const executablePath = chromiumBin();
  if (!executablePath)
    throw new Error('Chromium is missing: apt-get install -y chromium (npm test installs it when run as root)');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'lockwell-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const urls: string[] = [];
  const violations: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  page.on('framenavigated', (f) => urls.push(f.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Trusted Type|TrustedHTML|TrustedScript/i.test(m.text()))
      violations.push(m.text());
  });
  page.on('pageerror', (e) => violations.push(`uncaught: ${e.message}`));
  return {
    context,
    page,
    urls,
    violations,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.x A/AA rules) in the page and returns the serious and critical violations. The source is
 * evaluated through the DevTools protocol: the console's CSP rightly refuses an injected <script>.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Everything the page keeps in Web Storage, as one string (the console keeps nothing there). */
export async function webStorageDump(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
}
