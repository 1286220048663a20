// The web console in a real Chromium against the whole system (six services, gateway serving the built console,
// PostgreSQL, NATS). One system and one browser for the file; the tests run in order and build on each other,
// like a person working through the console.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { openBrowser, seriousAccessibilityViolations, webStorageDump, type ConsoleBrowser } from './support/browser.js';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';

const SHOTS = process.env.LOCKWELL_SCREENSHOTS === '1' ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots') : null;

let sys: TestSystem;
let browser: ConsoleBrowser;
let page: Page;
let member: CreatedUser;
/** Every secret value typed or revealed in this file: none may show up in a URL or in Web Storage. */
const secretValues: string[] = [];

/** Checks the screen a person is looking at: no serious accessibility violation, and (optionally) a screenshot. */
async function checkScreen(name: string) {
  await page.waitForLoadState('networkidle');
  expect({ screen: name, violations: await seriousAccessibilityViolations(page) }).toEqual({ screen: name, violations: [] });
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }
}

beforeAll(async () => {
  sys = await startSystem();
  member = await createUser(sys, await adminToken(sys), { full_name: 'Mia Member' });
  browser = await openBrowser();
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

describe('the web console', () => {
  it('signs in through the cookie session and keeps no token in Web Storage', async () => {
    await page.goto(sys.url);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await checkScreen('sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The email or password is wrong.');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();
    await checkScreen('home');
    const cookies = await browser.context.cookies();
    expect(cookies.map((c) => ({ name: c.name, path: c.path, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite }))).toEqual([
      { name: '__Secure-lockwell-console', path: '/api/v1/auth/console', httpOnly: true, secure: true, sameSite: 'Strict' },
    ]);
    expect(await webStorageDump(page)).toBe('{"local":{},"session":{}}');
  });
});
