import { allRpcContracts } from '../rpc.js';
import { STREAMS } from '../events.js';
import { inboxPrefixOf, rpcOwnerOf, type BusIdentity } from './identities.js';
import { allConsumerContracts, allListenerContracts, allStreamConsumerContracts } from './subscriptions.js';

/** What one identity may do on NATS (API-6): subject allow lists; nothing else is permitted. */
export interface BusPermissions {
  publish: string[];
  subscribe: string[];
  /** May answer the requests it receives (nats-server `allow_responses`), without a general publish grant on inboxes. */
  respond: boolean;
}

// JetStream API subjects every service needs to make sure the streams exist (create is idempotent; update,
// purge and delete are never granted).
const streamAdmin = (): string[] => [
  '$JS.API.INFO',
  '$JS.API.STREAM.NAMES',
  '$JS.API.STREAM.LIST',
  ...Object.values(STREAMS).flatMap((s) => [`$JS.API.STREAM.INFO.${s.name}`, `$JS.API.STREAM.CREATE.${s.name}`]),
];

/**
 * The permissions of `identity`, derived from the contracts: it calls the RPC subjects that list it as a
 * caller; it serves its own RPC subjects only in its own queue group; it publishes only its own events
 * (`evt.<self>.>`, `audit.<self>.>`); it reads events only through its declared durable consumers (whose
 * filter is fixed in the create subject) or declared listeners; and it receives replies only under its own
 * inbox prefix. No grant is a bare `>`.
 */
export function busPermissions(identity: BusIdentity): BusPermissions {
  const publish = new Set<string>();
  const subscribe = new Set<string>([`${inboxPrefixOf(identity)}.>`]);
  for (const c of allRpcContracts()) {
    if (c.callers.includes(identity)) publish.add(c.subject);
    if (rpcOwnerOf(c.subject) === identity) subscribe.add(`${c.subject} ${identity}`);
  }
  const isService = identity !== 'gateway';
  if (isService) {
    publish.add(`evt.${identity}.>`);
    publish.add(`audit.${identity}.>`);
    for (const s of streamAdmin()) publish.add(s);
  }
  for (const c of allConsumerContracts().filter((c) => c.service === identity)) {
    publish.add(`$JS.API.CONSUMER.INFO.${c.stream}.${c.durable}`);
    publish.add(`$JS.API.CONSUMER.CREATE.${c.stream}.${c.durable}.${c.event.subject}`);
    publish.add(`$JS.API.CONSUMER.MSG.NEXT.${c.stream}.${c.durable}`);
    // Acknowledgements: `$JS.ACK.<stream>.<consumer>...`, or with domain and account hash in front (2.10+).
    publish.add(`$JS.ACK.${c.stream}.${c.durable}.>`);
    publish.add(`$JS.ACK.*.*.${c.stream}.${c.durable}.>`);
  }
  for (const c of allStreamConsumerContracts().filter((c) => c.service === identity)) {
    // Unfiltered: the create subject ends at the durable name.
    publish.add(`$JS.API.CONSUMER.INFO.${c.stream}.${c.durable}`);
    publish.add(`$JS.API.CONSUMER.CREATE.${c.stream}.${c.durable}`);
    publish.add(`$JS.API.CONSUMER.MSG.NEXT.${c.stream}.${c.durable}`);
    publish.add(`$JS.ACK.${c.stream}.${c.durable}.>`);
    publish.add(`$JS.ACK.*.*.${c.stream}.${c.durable}.>`);
  }
  for (const l of allListenerContracts().filter((l) => l.identity === identity)) subscribe.add(l.event.subject);
  return { publish: [...publish].sort(), subscribe: [...subscribe].sort(), respond: isService };
}
