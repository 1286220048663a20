import type { PresetDefinition } from '../presets/preset.js';
import { invalid } from './endpoint-policy.js';

/**
 * Fills a preset's URL templates (`https://login.microsoftonline.com/{tenant}/...`) from the administrator's
 * `preset_params`, each value checked against the parameter's pattern so it cannot change the host or path
 * shape; unknown parameters are refused.
 */
export function presetParamValues(preset: PresetDefinition, given: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(given).filter((k) => !preset.params.some((p) => p.name === k));
  if (unknown.length) throw invalid('preset_params', `unknown parameter(s) for ${preset.id}: ${unknown.join(', ')}`);
  const values: Record<string, string> = {};
  for (const p of preset.params) {
    const value = given[p.name] ?? p.default;
    if (value === null) throw invalid(`preset_params.${p.name}`, 'required by this preset');
    if (!new RegExp(p.pattern).test(value)) throw invalid(`preset_params.${p.name}`, p.description);
    values[p.name] = value;
  }
  return values;
}

export function fillTemplate(template: string | null, values: Record<string, string>): string | null {
  return template === null ? null : template.replace(/\{([a-z_]+)\}/g, (_, name: string) => values[name] ?? '');
}
