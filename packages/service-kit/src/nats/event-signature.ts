import { eventOwnerOf } from '@lockwell/contracts';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { BusKeyring, BusSigner } from './bus-keys.js';

export const SIGNER_HEADER = 'Lockwell-Signer';
export const SIGNATURE_HEADER = 'Lockwell-Signature';

const material = (subject: string, body: string | Uint8Array) =>
  Buffer.concat([
    Buffer.from(`lockwell-event-v1\n${subject}\n`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body),
  ]);

/** Headers that sign `body` on `subject` with the emitting service's key (the relay adds them to every event). */
export function eventSignatureHeaders(signer: BusSigner, subject: string, body: string): MsgHdrs {
  const h = natsHeaders();
  h.set(SIGNER_HEADER, signer.identity);
  h.set(SIGNATURE_HEADER, signer.sign(material(subject, body)));
  return h;
}

/** Publishes `body` on `subject` to JetStream, signed by `signer`, deduplicated by `msgID` (the relay, and tests). */
export function publishSignedEvent(
  js: JetStreamClient,
  signer: BusSigner,
  subject: string,
  body: string,
  msgID: string,
): Promise<PubAck> {
  return js.publish(subject, body, { msgID, headers: eventSignatureHeaders(signer, subject, body) });
}

/**
 * Whether an event message is authentic: signed by the service that owns its subject (`evt.<owner>.…`,
 * `audit.<owner>.…`) over exactly these bytes. The bus already stops others from publishing there; this
 * check still holds if the bus permissions were ever wrong, or if one service's credential leaked.
 */
export function isAuthenticEvent(
  keyring: BusKeyring,
  subject: string,
  body: Uint8Array,
  headers: MsgHdrs | undefined,
): boolean {
  const signer = headers?.get(SIGNER_HEADER);
  if (!signer || signer !== eventOwnerOf(subject)) return false;
  return keyring.verify(signer, material(subject, body), headers?.get(SIGNATURE_HEADER));
}
