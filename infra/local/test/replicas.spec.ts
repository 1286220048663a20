// LOCKWELL_REPLICAS, as `npm start` and the e2e test system read it (docs/operations.md "Replicas").
import { parseReplicas } from '../index.js';

const NAMES = ['vault', 'audit', 'gateway'] as const;

describe('parseReplicas', () => {
  it('runs every name once unless told otherwise', () => {
    expect(parseReplicas(undefined, NAMES)).toEqual({ vault: 1, audit: 1, gateway: 1 });
    expect(parseReplicas('', NAMES)).toEqual({ vault: 1, audit: 1, gateway: 1 });
  });

  it('takes NAME=COUNT pairs, spaces allowed', () => {
    expect(parseReplicas('vault=2, gateway=3', NAMES)).toEqual({ vault: 2, audit: 1, gateway: 3 });
  });

  it('refuses unknown names, malformed pairs and counts outside 1..16, naming the culprit', () => {
    expect(() => parseReplicas('valt=2', NAMES)).toThrow('unknown name "valt" (one of vault, audit, gateway)');
    expect(() => parseReplicas('vault:2', NAMES)).toThrow('"vault:2" is not NAME=COUNT');
    expect(() => parseReplicas('vault=0', NAMES)).toThrow('vault=0 is outside 1..16');
    expect(() => parseReplicas('vault=17', NAMES)).toThrow('vault=17 is outside 1..16');
  });
});
