import { Injectable } from '@nestjs/common';
import { OutboxRelay } from '@lockwell/service-kit';

/**
 * Holds a membership write's reply until its MembershipChanged events are on the bus. The gateways drop the
 * user's cached principal on that event, so by the time the client sees the reply and sends its next request,
 * every service that authorises from the principal sees the new role (AZ-6). Past the relay's wait limit (NATS
 * down) the reply goes anyway: the change is committed and its event still goes out with the relay, and the
 * gateway's cache TTL bounds the staleness.
 */
@Injectable()
export class MembershipBroadcast {
  constructor(private readonly relay: OutboxRelay) {}

  published(eventIds: string[]): Promise<void> {
    return this.relay.published(eventIds);
  }
}
