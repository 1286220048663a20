import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PresetDefinition } from './preset.js';
import { PRESETS, presetById } from './preset-registry.js';

const catalogue = path.join(path.dirname(fileURLToPath(import.meta.url)), 'catalogue');

describe('the preset catalogue', () => {
  it('registers every data file of ./catalogue (a preset file without its registration fails here)', async () => {
    const files = readdirSync(catalogue).filter((f) => f.endsWith('.preset.ts'));
    const found: string[] = [];
    for (const file of files) {
      const module = (await import(path.join(catalogue, file))) as Record<string, unknown>;
      for (const value of Object.values(module)) found.push((value as { id: string }).id);
    }
    expect(found.sort()).toEqual(PRESETS.map((p) => p.id).sort());
    expect(new Set(found).size).toBe(found.length);
  });

  it("has the issue's providers, each valid and declaring its quirks", () => {
    expect(PRESETS.map((p) => p.id)).toEqual(
      expect.arrayContaining(['oauth2', 'oidc', 'github', 'google', 'microsoft', 'slack', 'atlassian', 'salesforce']),
    );
    for (const p of PRESETS) {
      expect(PresetDefinition.safeParse(p).success).toBe(true);
      // The conformance kit emulates the provider's dead-grant code; the broker must recognise it.
      expect({
        preset: p.id,
        dead: ['invalid_grant', 'unauthorized_client', ...p.quirks.dead_grant_errors].includes(
          p.behaviour.dead_grant_error,
        ),
      }).toEqual({ preset: p.id, dead: true });
      // Tokens without expires_in need a lifetime from the preset, unless the provider's tokens do not expire.
      if (p.behaviour.expires_in === 'never')
        expect({ preset: p.id, lifetime: p.quirks.default_lifetime_seconds }).toEqual({
          preset: p.id,
          lifetime: expect.any(Number),
        });
      for (const field of p.quirks.keep_token_fields)
        expect({ preset: p.id, field, sampled: field in p.behaviour.sample_token_fields }).toEqual({
          preset: p.id,
          field,
          sampled: true,
        });
      // Only https endpoints in built-in presets (OC-7).
      for (const url of Object.values(p.endpoints)) if (url !== null) expect(url).toMatch(/^https:\/\//);
    }
  });

  it('knows Salesforce keeps instance_url, Slack joins scopes with commas, GitHub answers errors with 200, Entra has the tenant in its URLs', () => {
    expect(presetById('salesforce')!.quirks.keep_token_fields).toContain('instance_url');
    expect(presetById('slack')!.quirks.scope_separator).toBe(',');
    expect(presetById('github')!.quirks.errors_with_status_200).toBe(true);
    expect(presetById('microsoft')!.endpoints.authorization_url).toContain('{tenant}');
    expect(presetById('google')!.extra_auth_params).toMatchObject({ access_type: 'offline', prompt: 'consent' });
    expect(presetById('nope')).toBeUndefined();
  });
});
