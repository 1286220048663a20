import { readFileSync } from 'node:fs';
import { parseMasterKeyRing, type MasterKeyRing } from '@lockwell/crypto';
import type { ServiceConfig } from './config/load-config.js';

/**
 * Loads the versioned master key (KEK) from LOCKWELL_MASTER_KEY or the file LOCKWELL_MASTER_KEY_FILE. It is
 * never stored in a database or in source (ENC-8); errors name the setting, never the key.
 */
export function loadMasterKeyRing(
  config: Pick<ServiceConfig, 'LOCKWELL_MASTER_KEY' | 'LOCKWELL_MASTER_KEY_FILE'>,
): MasterKeyRing {
  if (config.LOCKWELL_MASTER_KEY) return parseMasterKeyRing(config.LOCKWELL_MASTER_KEY, 'LOCKWELL_MASTER_KEY');
  const file = config.LOCKWELL_MASTER_KEY_FILE!;
  let spec: string;
  try {
    spec = readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`LOCKWELL_MASTER_KEY_FILE: cannot read the file it names`);
  }
  return parseMasterKeyRing(spec, 'LOCKWELL_MASTER_KEY_FILE');
}
