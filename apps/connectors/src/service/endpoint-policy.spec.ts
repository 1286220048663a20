import { checkReturnTo } from '../authorization/return-url.js';
import { checkEndpoint } from './endpoint-policy.js';
import { fillTemplate, presetParamValues } from './preset-endpoints.js';
import { presetById } from '../presets/preset-registry.js';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as { code?: string; details?: { field?: string }[] }).details?.[0]?.field ?? 'thrown';
  }
};

describe('endpoint policy (OC-7)', () => {
  it('takes https anywhere, http only on loopback and only in local runs', () => {
    expect(checkEndpoint('https://github.com/login/oauth/authorize', 'u', false)).toBe(
      'https://github.com/login/oauth/authorize',
    );
    expect(code(() => checkEndpoint('http://127.0.0.1:9400/auth', 'token_url', false))).toBe('token_url');
    expect(checkEndpoint('http://127.0.0.1:9400/auth', 'u', true)).toBe('http://127.0.0.1:9400/auth');
    expect(checkEndpoint('http://localhost:9400/auth', 'u', true)).toBe('http://localhost:9400/auth');
    expect(checkEndpoint('http://[::1]:9400/auth', 'u', true)).toBe('http://[::1]:9400/auth');
    for (const bad of [
      'http://10.0.0.5/auth',
      'http://example.com/auth',
      'http://127.0.0.1.example.com/x',
      'ftp://127.0.0.1/x',
      'https://user:pw@example.com/x',
      'https://example.com/x#frag',
      'not a url',
    ]) {
      expect({ bad, field: code(() => checkEndpoint(bad, 'authorization_url', true)) }).toEqual({
        bad,
        field: 'authorization_url',
      });
    }
  });

  it('fills preset templates only with values matching the parameter pattern', () => {
    const entra = presetById('microsoft')!;
    expect(fillTemplate(entra.endpoints.token_url, presetParamValues(entra, {}))).toBe(
      'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    );
    expect(
      fillTemplate(entra.endpoints.token_url, presetParamValues(entra, { tenant: 'contoso.onmicrosoft.com' })),
    ).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(code(() => presetParamValues(entra, { tenant: 'evil.com/x?' }))).toBe('preset_params.tenant');
    expect(code(() => presetParamValues(entra, { other: 'x' }))).toBe('preset_params');
    const salesforce = presetById('salesforce')!;
    expect(code(() => presetParamValues(salesforce, { domain: 'attacker.example' }))).toBe('preset_params.domain');
    expect(presetParamValues(salesforce, { domain: 'acme.my.salesforce.com' })).toEqual({
      domain: 'acme.my.salesforce.com',
    });
  });
});

describe('return_to (no open redirect)', () => {
  const allowed = ['https://app.example.test/after/'];
  it('accepts paths on this origin and URLs under an allowed prefix, nothing else', () => {
    expect(checkReturnTo('/console/connections', allowed)).toBe('/console/connections');
    expect(checkReturnTo('https://app.example.test/after/ok?x=1', allowed)).toBe(
      'https://app.example.test/after/ok?x=1',
    );
    for (const bad of [
      '//evil.example/x',
      'https://evil.example/after/',
      'https://app.example.test.evil.example/after/',
      'https://app.example.test/other',
      'javascript:alert(1)',
      '/\\evil.example',
      'https://u:p@app.example.test/after/',
    ]) {
      expect({ bad, field: code(() => checkReturnTo(bad, allowed)) }).toEqual({ bad, field: 'return_to' });
    }
  });
});
