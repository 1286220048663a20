import { atlassianPreset } from './catalogue/atlassian.preset.js';
import { githubPreset } from './catalogue/github.preset.js';
import { googlePreset } from './catalogue/google.preset.js';
import { microsoftPreset } from './catalogue/microsoft.preset.js';
import { oauth2Preset } from './catalogue/oauth2.preset.js';
import { oidcPreset } from './catalogue/oidc.preset.js';
import { salesforcePreset } from './catalogue/salesforce.preset.js';
import { slackPreset } from './catalogue/slack.preset.js';
import type { PresetDefinition } from './preset.js';

/**
 * Every built-in preset. Adding a provider: one file in ./catalogue plus its line here; the conformance kit
 * (e2e/connectors-conformance.e2e.spec.ts) then runs the whole flow for it (docs/connectors.md).
 */
export const PRESETS: readonly PresetDefinition[] = [
  oauth2Preset,
  oidcPreset,
  githubPreset,
  googlePreset,
  microsoftPreset,
  slackPreset,
  atlassianPreset,
  salesforcePreset,
];

export const presetById = (id: string): PresetDefinition | undefined => PRESETS.find((p) => p.id === id);
