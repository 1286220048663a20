import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { fromPublic, fromSeed } from '@nats-io/nkeys';
import { BUS_IDENTITIES, isBusIdentity, type BusIdentity } from '@lockwell/contracts';

// A bus identity's nkey (NATS's Ed25519 key format) does two jobs: it authenticates the connection to
// nats-server, and it signs the identity's calls and events so receivers can tell who sent them even if the
// bus permissions were ever wrong (defence in depth, docs/security.md). Signing and verifying use node:crypto's
// native Ed25519; @nats-io/nkeys only checks and decodes the key strings.

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** The private half: signs on behalf of one identity. */
export class BusSigner {
  private constructor(
    readonly identity: BusIdentity,
    readonly publicKey: string,
    private readonly key: KeyObject,
  ) {}

  /** From an nkey user seed (`SU...`); throws an error naming `label`, never the seed. */
  static fromSeed(identity: BusIdentity, seed: string, label: string): BusSigner {
    try {
      const pair = fromSeed(new TextEncoder().encode(seed.trim()));
      const publicKey = pair.getPublicKey();
      // The seed's base32 holds two prefix bytes, the 32-byte Ed25519 seed and a checksum.
      const raw = base32Decode(seed.trim()).subarray(2, 34);
      const x = base32Decode(publicKey).subarray(1, 33);
      const key = createPrivateKey({
        key: { kty: 'OKP', crv: 'Ed25519', d: b64url(raw), x: b64url(x) },
        format: 'jwk',
      });
      return new BusSigner(identity, publicKey, key);
    } catch {
      throw new Error(`${label}: not an nkey user seed`);
    }
  }

  /** The seed as nats.js wants it for nkey authentication is kept by the caller; this only signs. */
  sign(material: string | Buffer): string {
    return sign(null, typeof material === 'string' ? Buffer.from(material, 'utf8') : material, this.key).toString(
      'base64url',
    );
  }
}

/** The public keys of every identity: who signed a call or an event is checked against these. */
export class BusKeyring {
  private constructor(private readonly keys: Map<BusIdentity, { publicKey: string; key: KeyObject }>) {}

  /** Parses `gateway=U...,identity=U...,...` (whitespace or commas between entries); names `label` in errors. */
  static parse(spec: string, label: string): BusKeyring {
    const keys = new Map<BusIdentity, { publicKey: string; key: KeyObject }>();
    for (const entry of spec.split(/[\s,]+/).filter(Boolean)) {
      const [name, publicKey] = entry.split('=');
      if (!name || !publicKey || !isBusIdentity(name))
        throw new Error(`${label}: entries must be <identity>=<nkey public key> for ${BUS_IDENTITIES.join(', ')}`);
      try {
        fromPublic(publicKey);
      } catch {
        throw new Error(`${label}: the key of ${name} is not an nkey public key`);
      }
      const x = base32Decode(publicKey).subarray(1, 33);
      keys.set(name, {
        publicKey,
        key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(x) }, format: 'jwk' }),
      });
    }
    const missing = BUS_IDENTITIES.filter((i) => !keys.has(i));
    if (missing.length) throw new Error(`${label}: no key for ${missing.join(', ')}`);
    return new BusKeyring(keys);
  }

  publicKeyOf(identity: BusIdentity): string {
    return this.keys.get(identity)!.publicKey;
  }

  /** Whether `signature` (base64url) is `identity`'s Ed25519 signature of `material`. */
  verify(identity: string, material: string | Buffer, signature: unknown): boolean {
    if (!isBusIdentity(identity) || typeof signature !== 'string') return false;
    const entry = this.keys.get(identity);
    if (!entry) return false;
    try {
      return verify(
        null,
        typeof material === 'string' ? Buffer.from(material, 'utf8') : material,
        entry.key,
        Buffer.from(signature, 'base64url'),
      );
    } catch {
      return false;
    }
  }
}
