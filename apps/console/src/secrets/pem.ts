// Reads the validity end (notAfter) of a PEM certificate in the browser, to show the expiry while someone types;
// the vault parses the certificate itself and sets expires_at from it. A minimal DER walk: Certificate ::=
// SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serial, signature, issuer, validity SEQUENCE { notBefore,
// notAfter }, … } } (RFC 5280 §4.1).

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 4) throw new Error('bad length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  if (start + length > der.length) throw new Error('truncated');
  return { tag, start, end: start + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const tlv = readTlv(der, at);
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

function parseTime(der: Uint8Array, tlv: Tlv): Date {
  const text = new TextDecoder().decode(der.slice(tlv.start, tlv.end));
  // UTCTime (0x17) YYMMDDHHMMSSZ: years 50–99 are 19xx (RFC 5280 §4.1.2.5.1); GeneralizedTime (0x18) YYYYMMDDHHMMSSZ.
  const m =
    tlv.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new Error('bad time');
  const year = tlv.tag === 0x17 ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** The first certificate's notAfter, or null when the text is not a readable PEM certificate. */
export function certificateExpiry(pem: string): Date | null {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) return null;
  try {
    const binary = atob(match[1]!.replace(/\s+/g, ''));
    const der = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const cert = readTlv(der, 0);
    const tbs = children(der, cert)[0]!;
    const fields = children(der, tbs);
    const offset = fields[0]!.tag === 0xa0 ? 1 : 0;
    const validity = fields[offset + 3]!;
    if (validity.tag !== 0x30) return null;
    return parseTime(der, children(der, validity)[1]!);
  } catch {
    return null;
  }
}
