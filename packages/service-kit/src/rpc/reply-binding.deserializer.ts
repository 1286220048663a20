import { NatsRequestJSONDeserializer } from '@nestjs/microservices';

/**
 * Nest's NATS request deserializer plus the subject the reply will go to, as nats-server delivered it
 * (`envelope.reply`, overwriting anything a sender put there). The call guard requires it to lie under the
 * signer's own inbox prefix, so a signed call cannot be redirected to send its answer somewhere else.
 */
export class ReplyBindingDeserializer extends NatsRequestJSONDeserializer {
  override deserialize(value: unknown, options?: Record<string, unknown>) {
    const packet = super.deserialize(value, options) as { data?: unknown };
    if (packet.data && typeof packet.data === 'object')
      (packet.data as Record<string, unknown>).reply = typeof options?.replyTo === 'string' ? options.replyTo : null;
    return packet as ReturnType<NatsRequestJSONDeserializer['deserialize']>;
  }
}
