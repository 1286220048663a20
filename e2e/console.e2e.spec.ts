// The web console in a real Chromium against the whole system (six services, gateway serving the built console,
// PostgreSQL, NATS). One system and one browser for the file; the tests run in order and build on each other,
// like a person working through the console.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHmac } from 'node:crypto';
import { startTestOidcProvider, type TestOidcProvider } from '@lockwell/testing/oidc';
import { TestReceiver } from '@lockwell/testing';
import { selfSignedCertificate } from '../apps/vault/test/factories/certificate.js';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { openBrowser, seriousAccessibilityViolations, webStorageDump, type ConsoleBrowser } from './support/browser.js';
import { callbackUrl, CLIENT } from './support/connectors.js';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';

const SHOTS =
  process.env.LOCKWELL_SCREENSHOTS === '1'
    ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots')
    : null;

const SHOT_MAX_HEIGHT = 1600;

let sys: TestSystem;
let browser: ConsoleBrowser;
let page: Page;
let member: CreatedUser;
let provider: TestOidcProvider;
/** A webhook receiver on 127.0.0.1 (the local configuration accepts http:// on loopback). */
let receiver: TestReceiver;
/** Every secret value typed or revealed in this file: none may show up in a URL or in Web Storage. */
const secretValues: string[] = [];

/** Checks the screen a person is looking at: no serious accessibility violation, and (optionally) a screenshot. */
async function checkScreen(name: string) {
  await page.waitForLoadState('networkidle');
  const title = await page.title();
  for (const v of secretValues) expect(title).not.toContain(v);
  expect({ screen: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
    screen: name,
    violations: [],
  });
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    // The whole page, cut at SHOT_MAX_HEIGHT: a long table says what it needs to in its first rows.
    const body = await page.locator('body').boundingBox();
    const width = page.viewportSize()!.width;
    const height = Math.min(Math.ceil(body?.height ?? 800), SHOT_MAX_HEIGHT);
    await page.screenshot({
      path: path.join(SHOTS, `${name}.png`),
      fullPage: true,
      clip: { x: 0, y: 0, width, height },
    });
  }
}

beforeAll(async () => {
  sys = await startSystem();
  member = await createUser(sys, await adminToken(sys), { full_name: 'Mia Member' });
  // The third-party service to connect: a real OpenID provider on 127.0.0.1 with two-second access tokens.
  provider = await startTestOidcProvider({
    clients: [{ ...CLIENT, redirect_uris: [callbackUrl(sys.url)] }],
    accessTokenTtlSeconds: 2,
  });
  receiver = await TestReceiver.start();
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(10_000);
  // The copy buttons are checked by reading the clipboard back.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sys.url });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await provider?.stop();
  await receiver?.stop();
  await sys?.stop();
});

/** A value nobody could mistake for page text; remembered for the final scans. */
function secretValue(label: string): string {
  const v = `${label}-${Math.random().toString(36).slice(2, 12)}`;
  secretValues.push(v);
  return v;
}

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
/** Waits until a live region announces `text` (the console confirms every change there). */
const expectStatus = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
/** Waits until an alert says `text`, and returns its whole text. */
async function expectAlert(text: string | RegExp): Promise<string> {
  const alert = page.getByRole('alert').filter({ hasText: text }).first();
  await alert.waitFor();
  return (await alert.textContent())!;
}
let tenantId = '';
/** The first value of postgres/password, revealed again after the rollback. */
let genericV1 = '';
/** The main navigation's link to the inbox, whose name carries the unread count ("Notifications 2 unread"). */
const inboxLink = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Notifications/ });
/** Notifications arrive through the bus a moment after the action: refresh the inbox until `title` is there. */
async function waitForInboxItem(title: string) {
  const item = page.getByRole('list', { name: 'Notifications' }).getByRole('article', { name: title });
  for (let i = 0; i < 50 && !(await item.first().isVisible()); i++) {
    await page.waitForTimeout(200);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  }
  await item.first().waitFor();
  return item;
}

async function newSecret(
  type: string,
  fill: () => Promise<void>,
  name: { service: string; key: string; environment?: string },
) {
  await page.getByRole('link', { name: 'New secret' }).click();
  await page.getByLabel('Type', { exact: true }).selectOption({ label: type });
  await page.getByLabel('Service', { exact: true }).fill(name.service);
  await page.getByLabel('Key name').fill(name.key);
  await page.getByLabel('Environment', { exact: true }).fill(name.environment ?? 'production');
  await fill();
  await page.getByRole('button', { name: 'Create secret' }).click();
  const created = page.getByRole('heading', { level: 1, name: `${name.service}/${name.key}` });
  await created.or(page.getByRole('alert')).first().waitFor();
  if (!(await created.isVisible()))
    throw new Error(`creating ${type} failed: ${await page.getByRole('alert').first().textContent()}`);
  await expectStatus('Secret created.');
}

describe('the web console', () => {
  it('signs in through the cookie session and keeps no token in Web Storage', async () => {
    await page.goto(sys.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkScreen('sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectAlert('The email or password is wrong.');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();
    await checkScreen('home');
    const cookies = await browser.context.cookies();
    expect(
      cookies.map((c) => ({
        name: c.name,
        path: c.path,
        httpOnly: c.httpOnly,
        secure: c.secure,
        sameSite: c.sameSite,
      })),
    ).toEqual([
      {
        name: '__Secure-lockwell-console',
        path: '/api/v1/auth/console',
        httpOnly: true,
        secure: true,
        sameSite: 'Strict',
      },
    ]);
    expect(await webStorageDump(page)).toBe('{"local":{},"session":{}}');
    // A reload keeps the session: the cookie buys a new access token, which lives in memory only.
    await page.reload();
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();
  });

  it('creates a tenant, adds a member by email, and shows why the last owner cannot leave', async () => {
    await nav('Tenants').click();
    await page.getByLabel('Name', { exact: true }).fill('Acme Platform');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Platform' }).waitFor();
    tenantId = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByText('No secrets here yet.').waitFor();
    await page.getByRole('navigation', { name: 'Tenant sections' }).getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email of an existing user').fill(member.email);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expectStatus(`${member.email} was added.`);
    await page.getByRole('cell', { name: member.email, exact: true }).waitFor();
    await page.getByLabel('Email of an existing user').fill('nobody-here@lockwell.test');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expectAlert('There is no such user.');
    await page.getByRole('button', { name: 'Leave this tenant' }).click();
    expect(await expectAlert('LAST_OWNER')).toContain(
      'A tenant must keep at least one owner. Make another member an owner first.',
    );
    await page.getByLabel(`Role of ${member.email}`).selectOption('viewer');
    await expectStatus(`${member.email} is now viewer.`);
    await checkScreen('tenant-members');
    await page.getByRole('navigation', { name: 'Tenant sections' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Description').fill('Shared credentials of the platform team');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectStatus('Saved.');
    await checkScreen('tenant-settings');
  });

  it('shows the membership changes in the inbox with the unread count in the navigation, and marks them read', async () => {
    // Adding Mia and making her a viewer raised member.added and member.role_changed for the tenant's owners.
    await inboxLink().click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const added = await waitForInboxItem('a member was added to Acme Platform');
    const changed = await waitForInboxItem("a member's role changed in Acme Platform");
    await expect(added.textContent()).resolves.toContain(
      `Mia Member <${member.email}> was added to the tenant Acme Platform with the role member.`,
    );
    await expect(changed.textContent()).resolves.toContain('changed from member to viewer');
    await inboxLink()
      .filter({ hasText: /^Notifications 2 unread$/ })
      .waitFor();
    await page.getByText('2 unread.').waitFor();
    await checkScreen('notifications-inbox');
    // Each item links to what it is about.
    await added.getByRole('link', { name: 'Open the members' }).click();
    await page.getByRole('heading', { level: 2, name: 'Members' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/tenants/${tenantId}/members`);
    await inboxLink().click();
    await page.getByRole('button', { name: 'Mark read: a member was added to Acme Platform' }).click();
    await expectStatus('Marked read.');
    await inboxLink()
      .filter({ hasText: /^Notifications 1 unread$/ })
      .waitFor();
    expect(await added.getByText('unread', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expectStatus('1 notification marked read.');
    await inboxLink().filter({ hasNotText: 'unread' }).waitFor();
    expect(await page.getByRole('button', { name: /^Mark read/ }).count()).toBe(0);
    await page.getByLabel('Show').selectOption('unread');
    await page.getByText('No notification matches these filters.').waitFor();
    await page.getByLabel('Show').selectOption('all');
    await page.getByLabel('Kind').selectOption({ label: 'A member’s role changed' });
    await page.getByRole('article').nth(1).waitFor({ state: 'detached' });
    expect(await page.getByRole('article').count()).toBe(1);
    // The API agrees: both read.
    const inbox = await clientFor(sys.url).get('/api/v1/notifications', { token: await adminToken(sys) });
    expect(
      inbox.body.items.map((i: { kind: string; read_at: string | null }) => [i.kind, i.read_at !== null]).sort(),
    ).toEqual([
      ['member.added', true],
      ['member.role_changed', true],
    ]);
  });

  it('changes notification preferences, which persist', async () => {
    // Two clicks from the start page: Notifications, then Preferences.
    await page
      .getByRole('navigation', { name: 'Notification sections' })
      .getByRole('link', { name: 'Preferences' })
      .click();
    const email = page.getByRole('checkbox', { name: 'By email: A member was added' });
    const inApp = page.getByRole('checkbox', { name: 'In the inbox: A custom role changed' });
    await email.waitFor();
    expect([await email.isChecked(), await inApp.isChecked()]).toEqual([true, true]);
    // Warnings about the account itself are always emailed.
    const forced = page.getByRole('checkbox', { name: 'By email: Your password changed' });
    expect([await forced.isChecked(), await forced.isDisabled()]).toEqual([true, true]);
    await email.uncheck();
    await inApp.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expectStatus('Preferences saved.');
    await checkScreen('notifications-preferences');
    await page.reload();
    await email.waitFor();
    expect([await email.isChecked(), await inApp.isChecked()]).toEqual([false, false]);
    const prefs = await clientFor(sys.url).get('/api/v1/notifications/preferences', { token: await adminToken(sys) });
    const byKind = new Map(prefs.body.items.map((p: { kind: string }) => [p.kind, p]));
    expect(byKind.get('member.added')).toEqual({ kind: 'member.added', email: false, webhook: true, in_app: true });
    expect(byKind.get('role.changed')).toEqual({ kind: 'role.changed', email: true, webhook: true, in_app: false });
    await email.check();
    await inApp.check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expectStatus('Preferences saved.');
  });

  it('creates a tenant webhook, shows its signing secret once, lists its signed deliveries, and deletes it', async () => {
    // Two clicks from the start page: Home, then the tenant's webhooks.
    await nav('Home').click();
    await page.getByRole('link', { name: 'Webhooks of Acme Platform' }).click();
    await page.getByRole('heading', { level: 2, name: 'Webhooks' }).waitFor();
    await page.getByText('This tenant has no webhooks.').waitFor();
    await page.getByLabel('URL', { exact: true }).fill('ftp://127.0.0.1/nope');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    expect(await expectAlert('VALIDATION_FAILED')).toContain('url');
    await page.getByLabel('URL', { exact: true }).fill(receiver.url);
    await page.getByLabel('Description (optional)').fill('Platform chat bot');
    await page.getByRole('checkbox', { name: 'member.role_changed', exact: true }).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.getByTestId('webhook-secret').textContent())!;
    expect(secret).toMatch(/^lwwhsec_/);
    secretValues.push(secret);
    await page.getByRole('button', { name: 'Copy signing secret' }).click();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(secret);
    await checkScreen('tenant-webhook-created');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    const row = page.getByRole('region', { name: 'Webhooks' }).getByRole('row').nth(1);
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      `${receiver.url}Platform chat bot`,
      'member.role_changed',
      'active',
      expect.any(String),
      'DeliveriesDelete',
    ]);
    // A role change reaches the receiver, signed with the secret shown once; the delivery log shows it.
    const api = clientFor(sys.url);
    const token = await adminToken(sys);
    const roleOf = (role: string) => api.put(`/api/v1/tenants/${tenantId}/members/${member.id}`, { role }, { token });
    expect((await roleOf('member')).status).toBe(200);
    for (let i = 0; i < 100 && receiver.requests.length === 0; i++) await page.waitForTimeout(100);
    const [req] = receiver.requests;
    expect(JSON.parse(req!.body)).toMatchObject({ kind: 'member.role_changed', tenant_id: tenantId });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req!.headers['lockwell-signature']))!;
    expect(createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${t}.${req!.body}`).digest('hex')).toBe(v1);
    expect((await roleOf('viewer')).status).toBe(200);
    await page.getByRole('button', { name: `Deliveries of ${receiver.url}` }).click();
    const attempts = page.getByRole('region', { name: 'Delivery attempts' });
    for (let i = 0; i < 50 && (await attempts.getByRole('row').count()) < 2; i++) {
      await page.waitForTimeout(200);
      await page.getByRole('button', { name: 'Refresh deliveries' }).click();
    }
    expect((await attempts.getByRole('row').nth(1).getByRole('cell').allTextContents()).slice(1, 4)).toEqual([
      'member.role_changed',
      '1',
      'delivered HTTP 204 ',
    ]);
    await checkScreen('tenant-webhooks');
    await page.getByRole('button', { name: `Delete webhook ${receiver.url}` }).click();
    await expectStatus('Webhook deleted');
    await page.getByText('This tenant has no webhooks.').waitFor();
    expect((await api.get(`/api/v1/tenants/${tenantId}/webhooks`, { token })).body.items).toEqual([]);
  });

  it('deletes a tenant once its slug is typed', async () => {
    await nav('Tenants').click();
    await page.getByLabel('Name', { exact: true }).fill('Scratch Space');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { level: 1, name: 'Scratch Space' }).waitFor();
    const scratchId = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByRole('navigation', { name: 'Tenant sections' }).getByRole('link', { name: 'Settings' }).click();
    const remove = page.getByRole('button', { name: 'Delete tenant' });
    await page.getByLabel('Type scratch-space to confirm').fill('scratch');
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel('Type scratch-space to confirm').fill('scratch-space');
    await remove.click();
    await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
    const after = await clientFor(sys.url).get(`/api/v1/tenants/${scratchId}`, { token: await adminToken(sys) });
    expect(after.status === 404 || after.body.status === 'deleting').toBe(true);
  });

  it('creates one secret of each type, the certificate with its expiry read from the PEM', async () => {
    const cert = selfSignedCertificate(30);
    const expectedExpiry = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(
      new Date(Date.now() + 30 * 86_400_000),
    );
    await page.goto(`${sys.url}/tenants/${tenantId}`);
    genericV1 = secretValue('generic-v1');
    await newSecret('Generic value', () => page.getByRole('textbox', { name: 'Value', exact: true }).fill(genericV1), {
      service: 'postgres',
      key: 'password',
    });
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    const apiKey = secretValue('sk-live');
    await newSecret('API key', () => page.getByLabel('API key', { exact: true }).fill(apiKey), {
      service: 'openai',
      key: 'api_key',
    });
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    const bearer = secretValue('bearer');
    await newSecret('Bearer token', () => page.getByLabel('Token', { exact: true }).fill(bearer), {
      service: 'github',
      key: 'token',
      environment: 'staging',
    });
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    const clientSecret = secretValue('client-secret');
    await newSecret(
      'OAuth client credentials',
      async () => {
        await page.getByLabel('Client id', { exact: true }).fill('acme-client');
        await page.getByLabel('Client secret', { exact: true }).fill(clientSecret);
        await page.getByLabel('Token URL').fill('https://auth.example.com/oauth/token');
        await page.getByLabel('Scopes (optional)').fill('read write');
      },
      { service: 'auth0', key: 'm2m' },
    );
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    await page.getByRole('link', { name: 'New secret' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Certificate' });
    await page.getByLabel('Certificate (PEM)').fill(cert.certificate);
    await expect(page.locator('.hint', { hasText: /^Expires/ }).textContent()).resolves.toContain(expectedExpiry);
    await checkScreen('secret-new-certificate');
    secretValues.push(cert.privateKey.split('\n')[1]!);
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    await newSecret(
      'Certificate',
      async () => {
        await page.getByLabel('Certificate (PEM)').fill(cert.certificate);
        await page.getByLabel('Private key (PEM, optional)').fill(cert.privateKey);
      },
      { service: 'api-gateway', key: 'tls' },
    );
    await expect(page.locator('dt:text-is("Expires") + dd').textContent()).resolves.toContain(expectedExpiry);
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    const dotenvValue = secretValue('dotenv');
    await newSecret(
      'Key/value set',
      async () => {
        await page
          .getByLabel('Or paste a .env file')
          .fill(`# app settings\nDATABASE_URL=postgres://db/app\nexport API_SECRET="${dotenvValue}"\n`);
        await page.getByRole('button', { name: 'Use the pasted pairs' }).click();
        await expect(page.getByLabel('Key 2').inputValue()).resolves.toBe('API_SECRET');
      },
      { service: 'billing', key: 'env' },
    );
    await page.getByRole('link', { name: 'Back to the secrets' }).click();
    await page.getByRole('row').nth(6).waitFor();
    expect(await page.getByRole('region', { name: 'List of secrets' }).getByRole('row').count()).toBe(7);
    await checkScreen('tenant-secrets');
    // Filters go to the API; sorting works on the page shown.
    await page.getByLabel('Expiring').selectOption('90');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('row').nth(2).waitFor({ state: 'detached' });
    expect(await page.getByRole('region', { name: 'List of secrets' }).getByRole('link').allTextContents()).toEqual([
      'api-gateway/tls',
    ]);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Environment', { exact: true }).selectOption('staging');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('row').nth(2).waitFor({ state: 'detached' });
    expect(await page.getByRole('region', { name: 'List of secrets' }).getByRole('link').allTextContents()).toEqual([
      'github/token',
    ]);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('row').nth(6).waitFor();
    await page.getByRole('button', { name: 'Name' }).click();
    expect((await page.getByRole('region', { name: 'List of secrets' }).getByRole('link').allTextContents())[0]).toBe(
      'postgres/password',
    );
    // The API key as another program would read it: stored exactly as typed.
    const api = clientFor(sys.url);
    const token = await adminToken(sys);
    const listed = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}&service_name=openai`, { token });
    const read = await api.get(`/api/v1/tenant-secrets/${listed.body.items[0].id}`, { token });
    expect(read.body.data).toEqual({ header_name: 'X-API-Key', value: apiKey });
  });

  it('reveals a value only on request, edits it into a new version and rolls back', async () => {
    await page.getByRole('link', { name: 'postgres/password' }).click();
    await page.getByRole('heading', { level: 1, name: 'postgres/password' }).waitFor();
    await expect(page.getByText('Nobody has read this secret yet.').isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(genericV1);
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await expect(page.getByTestId('revealed-value').textContent()).resolves.toContain(genericV1);
    await page.getByRole('button', { name: 'Copy value' }).click();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(genericV1);
    await page.getByRole('button', { name: 'Hide value' }).click();
    await page.getByRole('button', { name: 'Edit secret' }).click();
    const v2 = secretValue('generic-v2');
    await page.getByRole('textbox', { name: 'Value', exact: true }).fill(v2);
    await page.getByLabel('Rotate every (days, optional)').fill('90');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectStatus('Saved as version 2.');
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await expect(page.getByTestId('revealed-value').textContent()).resolves.toContain(v2);
    await expect(page.locator('dt:text-is("Rotation") + dd').textContent()).resolves.toBe('every 90 days');
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await expectStatus('Rolled back: version 3 now holds the value of version 1.');
    await page.getByRole('button', { name: 'Reveal value' }).click();
    await expect(page.getByTestId('revealed-value').textContent()).resolves.toContain(genericV1);
    await page.getByRole('cell', { name: 'You', exact: true }).waitFor();
    await checkScreen('secret-detail');
  });

  it('schedules a deletion and cancels it', async () => {
    await page.getByRole('button', { name: 'Schedule deletion' }).click();
    await expectStatus('Deletion scheduled.');
    await page.getByText('This secret will be destroyed on').waitFor();
    await expect(page.locator('.badges').textContent()).resolves.toContain('scheduled for deletion');
    await page.getByRole('button', { name: 'Cancel deletion' }).click();
    await expectStatus('Deletion cancelled: the secret is active again.');
    await page.locator('.badges', { hasNotText: 'scheduled' }).waitFor();
    await expect(page.locator('.badges').textContent()).resolves.toContain('active');
  });

  it('creates an API token with permissions the user holds, shows it once, and deletes it', async () => {
    await nav('API tokens').click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('CI deploy');
    await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Acme Platform' });
    const offered = await page
      .getByRole('group', { name: /Permissions/ })
      .getByRole('checkbox')
      .count();
    expect(offered).toBe(19); // the owner's 12 tenant permissions and the admin's 7 global ones
    await page.getByRole('checkbox', { name: 'secrets:read', exact: true }).check();
    await page.getByRole('checkbox', { name: 'secrets:list', exact: true }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = (await page.getByTestId('new-token-value').textContent())!;
    expect(value).toMatch(/^lw_/);
    secretValues.push(value);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(value);
    const api = clientFor(sys.url);
    expect((await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: value })).status).toBe(200);
    await checkScreen('api-token-created');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByTestId('new-token-value').count()).resolves.toBe(0);
    await page.getByRole('cell', { name: 'CI deploy', exact: true }).waitFor();
    await checkScreen('api-tokens');
    await page.getByRole('button', { name: 'Delete token CI deploy' }).click();
    await expectStatus('Token deleted');
    await page.getByText('You have no API tokens.').waitFor();
    expect((await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: value })).status).toBe(401);
  });

  it('keeps personal secrets, lists sessions and revokes another one', async () => {
    await nav('Personal secrets').click();
    await page.getByText('No secrets here yet.').waitFor();
    const personal = secretValue('personal');
    await newSecret('Generic value', () => page.getByRole('textbox', { name: 'Value', exact: true }).fill(personal), {
      service: 'aws',
      key: 'secret_access_key',
      environment: 'development',
    });
    await nav('Personal secrets').click();
    await page.getByRole('link', { name: 'aws/secret_access_key' }).waitFor();
    await checkScreen('personal-secrets');
    const other = await login(sys, ADMIN.email, ADMIN.password);
    await nav('Sessions').click();
    await page.getByText('this session').waitFor();
    const revokeButtons = page.getByRole('button', { name: /^Revoke the session/ });
    expect(await revokeButtons.count()).toBeGreaterThanOrEqual(1);
    await checkScreen('sessions');
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await expectStatus(/other sessions? signed out/);
    await expect(revokeButtons.count()).resolves.toBe(0);
    expect((await clientFor(sys.url).get('/api/v1/users/me', { token: other.access_token })).status).toBe(401);
    await nav('Account').click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await checkScreen('account');
  });

  it('reads the tenant audit log with filters and cursor paging, and verifies its hash chain', async () => {
    // Two clicks from the start page: Home, then the tenant's audit log.
    await nav('Home').click();
    await page.getByRole('link', { name: 'Audit log of Acme Platform' }).click();
    await page.getByRole('heading', { level: 2, name: 'Audit log' }).waitFor();
    const records = page.getByRole('region', { name: 'Audit records' });
    // Records arrive through the audit stream a moment after each action: refresh until the last one is there.
    const cancelled = records.getByRole('cell', { name: 'secret.cancel-deletion', exact: true });
    for (let i = 0; i < 50 && !(await cancelled.isVisible()); i++) {
      await page.waitForTimeout(200);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    await cancelled.waitFor();
    await checkScreen('tenant-audit');
    // Cursor paging: 25 records a page, newest first.
    const firstPage = await records.getByRole('row').nth(1).textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    // The previous page stays on screen until the next one has arrived.
    const firstRow = records.getByRole('row').nth(1);
    for (let i = 0; i < 100 && (await firstRow.textContent()) === firstPage; i++) await page.waitForTimeout(50);
    expect(await firstRow.textContent()).not.toBe(firstPage);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();
    // Action and actor filters are applied by the API.
    await page.getByLabel('Action', { exact: true }).fill('secret.rollback');
    await page.getByLabel('Actor', { exact: true }).selectOption({ label: ADMIN.email });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('row').nth(2).waitFor({ state: 'detached' });
    const rollback = await records.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(rollback.slice(1, 4)).toEqual([`${ADMIN.email}from 127.0.0.1`, 'secret.rollback', 'success']);
    await page.getByLabel('Actor', { exact: true }).selectOption({ label: member.email });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No record matches these filters.').waitFor();
    // Outcome and time range.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Outcome').selectOption('success');
    const local = (offsetMs: number) =>
      page.evaluate((ms) => {
        const d = new Date(Date.now() + ms);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      }, offsetMs);
    await page.getByLabel('From').fill(await local(-3_600_000));
    await page.getByLabel('Until').fill(await local(3_600_000));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForLoadState('networkidle');
    await records.getByRole('row').nth(1).waitFor();
    const outcomes = await records.locator('td:nth-child(4)').allTextContents();
    expect(new Set(outcomes)).toEqual(new Set(['success']));
    await page.getByLabel('From').fill(await local(3_600_000));
    await page.getByLabel('Until').fill('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No record matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    // The chain verification walks every record of the tenant's chain.
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    const verified = await page.getByRole('status').filter({ hasText: 'The chain is intact' }).textContent();
    expect(Number(/(\d+) records/.exec(verified!)![1])).toBeGreaterThan(25);
    await checkScreen('tenant-audit-verified');
  });

  it('shows the installation admin screens: users, roles with permissions, master-key status', async () => {
    await nav('Admin').click();
    await page.getByRole('cell', { name: member.email, exact: true }).waitFor();
    await checkScreen('admin-users');
    await page
      .getByRole('navigation', { name: 'Administration sections' })
      .getByRole('link', { name: 'Roles' })
      .click();
    await page
      .getByRole('cell', { name: /keys:rotate/ })
      .first()
      .waitFor();
    await checkScreen('admin-roles');
    await page
      .getByRole('navigation', { name: 'Administration sections' })
      .getByRole('link', { name: 'Master key' })
      .click();
    await page.getByText('0: rotation complete').waitFor();
    // Both kinds of sealed keys are counted: the vault's data keys and identity's signing keys.
    const keysTable = page.getByRole('region', { name: 'Keys per master key' });
    expect(await keysTable.getByRole('columnheader').allTextContents()).toEqual([
      'Master key id',
      'Data keys it wraps',
      'Signing keys it seals',
    ]);
    expect((await keysTable.getByRole('row').nth(1).getByRole('cell').allTextContents()).slice(2)).toEqual(['1']);
    await checkScreen('admin-master-key');
  });

  it('registers a third-party service from a preset, connects through the provider and back, reconnects and disconnects', async () => {
    // The registry: Admin, then Services.
    await nav('Admin').click();
    await page
      .getByRole('navigation', { name: 'Administration sections' })
      .getByRole('link', { name: 'Services' })
      .click();
    await page.getByText('No third-party service is registered yet.').waitFor();
    await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'OpenID Connect' });
    await page.getByLabel('Name (optional)', { exact: true }).fill('Local OpenID');
    await page.getByLabel('Slug (optional)', { exact: true }).fill('local-oidc');
    await page.getByLabel('Issuer', { exact: true }).fill(provider.issuer);
    await page.getByLabel('Client id', { exact: true }).fill(CLIENT.client_id);
    await page.getByLabel('Client secret', { exact: true }).fill(CLIENT.client_secret);
    secretValues.push(CLIENT.client_secret);
    await expect(page.getByLabel('Redirect URI', { exact: true }).inputValue()).resolves.toBe(callbackUrl(sys.url));
    await page.getByRole('button', { name: 'Create service' }).click();
    await expectStatus('Local OpenID was created.');
    await expect(page.getByLabel('Client secret', { exact: true }).inputValue()).resolves.toBe('');
    const registry = page.getByRole('region', { name: 'Registered services' });
    // The list reloads after the status shows: on a busy machine the new row comes a moment later.
    await registry.getByRole('row').nth(1).waitFor();
    expect(await registry.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
      'Local OpenIDlocal-oidc',
      'oidc',
      'OpenID Connect',
      'ready',
      'client_id, client_secret',
      expect.any(String),
      'Delete',
    ]);
    await checkScreen('admin-services');

    // Connecting: the console sends the browser to the provider, which sends it back to the console.
    const signInAtProvider = async (login: string) => {
      await page.waitForURL((u) => u.origin === provider.issuer);
      while (new URL(page.url()).origin === provider.issuer) {
        const loginField = page.locator('input[name=login]');
        if (await loginField.isVisible()) {
          await loginField.fill(login);
          await page.locator('input[name=password]').fill('any password');
        }
        await page.locator('button[type=submit]').first().click();
        await page.waitForLoadState('load');
      }
    };
    await nav('Connections').click();
    const services = page.getByRole('region', { name: 'Services, Personal' });
    await services.getByRole('cell', { name: 'not connected' }).waitFor();
    // Cancelled at the provider: back in the console with what happened and what to do.
    await page.getByRole('button', { name: 'Connect Local OpenID' }).click();
    await page.waitForURL((u) => u.origin === provider.issuer);
    await page.getByRole('link', { name: '[ Cancel ]' }).click();
    expect(await expectAlert('Not connected.')).toContain('AUTHORIZATION_FAILED');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/connections');
    await services.getByRole('cell', { name: 'not connected' }).waitFor();
    await page.getByRole('button', { name: 'Connect Local OpenID' }).click();
    await signInAtProvider('console-user');
    await expectStatus('Connected to Local OpenID.');
    // The callback's outcome is taken out of the address bar.
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/connections');
    await services.getByText('connected', { exact: true }).waitFor();
    await checkScreen('connections');

    // The account owner removes the app at the provider: the next refresh fails and the console asks to reconnect.
    const token = await adminToken(sys);
    const api = clientFor(sys.url);
    const [connection] = (await api.get('/api/v1/services/connections', { token })).body.items;
    expect(connection.status).toBe('connected');
    provider.revokeAccount('console-user');
    await page.waitForTimeout(2_500);
    const handOut = await api.post(`/api/v1/services/connections/${connection.id}/token`, {}, { token });
    expect(handOut.body.error?.code).toBe('CONNECTION_REAUTH_REQUIRED');
    await page.reload();
    await services.getByText('reconnect needed').waitFor();
    await checkScreen('connections-reconnect');
    await page.getByRole('button', { name: 'Reconnect Local OpenID' }).click();
    await signInAtProvider('console-user');
    await expectStatus('Connected to Local OpenID.');
    await services.getByText('connected', { exact: true }).waitFor();
    const after = (await api.get('/api/v1/services/connections', { token })).body.items;
    expect(after.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[connection.id, 'connected']]);
    const fresh = await api.post(`/api/v1/services/connections/${connection.id}/token`, {}, { token });
    expect(await provider.introspect(fresh.body.access_token)).toMatchObject({ active: true });

    // Disconnect revokes at the provider; a second step removes the connection.
    await page.getByRole('button', { name: 'Disconnect Local OpenID' }).click();
    await expectStatus('Disconnected from Local OpenID: the provider revoked the grant.');
    await services.getByText('disconnected').waitFor();
    expect(await provider.introspect(fresh.body.access_token)).toMatchObject({ active: false });
    await page.getByRole('button', { name: 'Remove Local OpenID' }).click();
    await expectStatus('The connection to Local OpenID was removed.');
    await services.getByRole('cell', { name: 'not connected' }).waitFor();

    // Deleting the service needs its slug typed.
    await nav('Admin').click();
    await page
      .getByRole('navigation', { name: 'Administration sections' })
      .getByRole('link', { name: 'Services' })
      .click();
    await page.getByRole('button', { name: 'Delete Local OpenID' }).click();
    await page.getByLabel('Type local-oidc to confirm').fill('local-oidc');
    await page.getByRole('button', { name: 'Delete service' }).click();
    await expectStatus('Local OpenID was deleted, with every connection to it.');
    await page.getByText('No third-party service is registered yet.').waitFor();
  });

  it('signs out: the cookie is gone and a reload asks to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Cookies are per host, not per port: the local provider's own session cookies (on 127.0.0.1 too) stay.
    expect((await browser.context.cookies()).filter((c) => c.name.includes('lockwell'))).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('lets the new member in, with the tenant on their start page, and reads well at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Mia Member' }).waitFor();
    await page.getByRole('link', { name: 'Acme Platform', exact: true }).click();
    await page.getByRole('link', { name: 'postgres/password' }).waitFor();
    // A viewer reads but does not write: no "New secret".
    expect(await page.getByRole('link', { name: 'New secret' }).count()).toBe(0);
    // Nor does a viewer read the audit log: no tab, no link.
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await checkScreen('phone-tenant-secrets');
    // Nothing has happened that a viewer must hear about: the inbox says so.
    await inboxLink().click();
    await page.getByText('Your inbox is empty.').waitFor();
    expect(await inboxLink().textContent()).toBe('Notifications');
    await checkScreen('phone-notifications');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('changes the password, and sends someone whose session was revoked elsewhere back to sign in', async () => {
    await nav('Account').click();
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase 2');
    await page.getByLabel('Repeat the new password').fill('a brand new passphrase 2');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await expectAlert('VALIDATION_FAILED')).toContain('current_password: is not correct');
    await page.getByLabel('Current password').fill(member.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectStatus('Password changed.');
    secretValues.push('a brand new passphrase 2');
    // PW-5: the change is also in the inbox (and emailed, whatever the preferences say).
    await inboxLink().click();
    await waitForInboxItem('your Lockwell password was changed');
    await inboxLink()
      .filter({ hasText: /^Notifications 1 unread$/ })
      .waitFor();
    // An administrator ends every session of the member: the console notices on its next call.
    expect(
      (await clientFor(sys.url).delete(`/api/v1/users/${member.id}/sessions`, { token: await adminToken(sys) })).status,
    ).toBe(200);
    await nav('Sessions').click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
  });

  it('never put a secret value in a URL or Web Storage, and never broke its Content-Security-Policy', async () => {
    expect(secretValues.length).toBeGreaterThan(8);
    const urls = browser.urls.join('\n');
    for (const v of secretValues) expect(urls).not.toContain(v);
    const storage = await webStorageDump(page);
    for (const v of secretValues) expect(storage).not.toContain(v);
    expect(browser.violations).toEqual([]);
    // The detector itself works: a script the policy forbids is refused and reported.
    await page
      .evaluate(
        "document.head.append(Object.assign(document.createElement('script'), { src: 'data:text/javascript,1' }))",
      )
      .catch(() => undefined);
    for (let i = 0; i < 50 && browser.violations.length === 0; i++) await page.waitForTimeout(20);
    expect(browser.violations.length).toBeGreaterThan(0);
    const res = await fetch(`${sys.url}/tenants/${tenantId}`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; require-trusted-types-for 'script'; trusted-types",
    );
  });
});
