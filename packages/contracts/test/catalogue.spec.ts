import {
  allConsumerContracts,
  allEventContracts,
  allListenerContracts,
  allRpcContracts,
  BUS_IDENTITIES,
  busPermissions,
  eventOwnerOf,
  rpcOwnerOf,
  SERVICE_NAMES,
  BUILT_IN_TENANT_ROLES,
  HealthCheck,
  TENANT_PURGE_CONFIRMATIONS,
  TENANT_PURGE_PARTICIPANTS,
  TenantDeleting,
  EVENT_SUBJECT_PATTERN,
  isKnownPermission,
  permits,
  STREAMS,
  SUBJECT_PATTERN,
} from '../src/index.js';

// A NATS subject pattern (`*` one token, `>` the rest) matched against a concrete subject.
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

describe('contracts catalogue', () => {
  it('names every RPC subject <service>.<resource>.<verb>', () => {
    const subjects = allRpcContracts().map((c) => c.subject);
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects) expect(s).toMatch(SUBJECT_PATTERN);
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('names every event evt.<service>.<fact>', () => {
    for (const e of allEventContracts()) expect(e.subject).toMatch(EVENT_SUBJECT_PATTERN);
  });

  it('never lets a JetStream stream capture a request/reply subject (it would answer with a PubAck)', () => {
    const streamSubjects = Object.values(STREAMS).flatMap((s) => [...s.subjects]);
    for (const { subject } of allRpcContracts()) {
      for (const pattern of streamSubjects)
        expect({ subject, captured: matches(pattern, subject) }).toEqual({ subject, captured: false });
    }
  });

  it('captures every event subject in a stream', () => {
    const streamSubjects = Object.values(STREAMS).flatMap((s) => [...s.subjects]);
    for (const { subject } of allEventContracts()) expect(streamSubjects.some((p) => matches(p, subject))).toBe(true);
  });
});

describe('the one list of services', () => {
  it('derives the subject patterns, the audit stream, the bus identities and the health checks from it', () => {
    for (const service of SERVICE_NAMES) {
      expect(`${service}.thing.get`).toMatch(SUBJECT_PATTERN);
      expect(`evt.${service}.thing.happened`).toMatch(EVENT_SUBJECT_PATTERN);
      expect(STREAMS.AUDIT.subjects).toContain(`audit.${service}.>`);
      expect(BUS_IDENTITIES).toContain(service);
      expect(HealthCheck[service].subject).toBe(`${service}.health.check`);
    }
    expect('billing.thing.get').not.toMatch(SUBJECT_PATTERN);
    expect(BUS_IDENTITIES).toEqual(['gateway', ...SERVICE_NAMES]);
  });
});

describe('bus topology (API-6)', () => {
  it('names only known bus identities as callers, of subjects each owned by a service', () => {
    for (const c of allRpcContracts()) {
      expect({
        subject: c.subject,
        unknown: c.callers.filter((id) => !(BUS_IDENTITIES as readonly string[]).includes(id)),
      }).toEqual({ subject: c.subject, unknown: [] });
      expect(c.callers.length).toBeGreaterThan(0);
      expect((SERVICE_NAMES as readonly string[]).includes(rpcOwnerOf(c.subject))).toBe(true);
    }
  });

  it('declares consumers of existing events, each in the stream that captures it, and listeners only for the gateway', () => {
    const events = new Set(allEventContracts().map((e) => e.subject));
    for (const c of allConsumerContracts()) {
      expect(events.has(c.event.subject)).toBe(true);
      expect(
        STREAMS[c.stream === STREAMS.AUDIT.name ? 'AUDIT' : 'EVENTS'].subjects.some((p) => matches(p, c.event.subject)),
      ).toBe(true);
      expect(c.durable.startsWith(`${c.service}-`)).toBe(true);
    }
    expect(allListenerContracts().every((l) => l.identity === 'gateway')).toBe(true);
  });

  it('gives every tenant-purge participant one TenantDeleting consumer, and tenants a consumer of each confirmation', () => {
    for (const participant of TENANT_PURGE_PARTICIPANTS) {
      expect(
        allConsumerContracts().filter((c) => c.service === participant && c.event === TenantDeleting),
      ).toHaveLength(1);
      expect(TENANT_PURGE_CONFIRMATIONS[participant].subject).toBe(`evt.${participant}.tenant.purged`);
      expect(
        allConsumerContracts()
          .filter((c) => c.service === 'tenants' && c.event === TENANT_PURGE_CONFIRMATIONS[participant])
          .map((c) => c.name),
      ).toEqual([`deletion-${participant}`]);
    }
    const purgers = allConsumerContracts()
      .filter((c) => c.event === TenantDeleting)
      .map((c) => c.service);
    expect(purgers.sort()).toEqual([...TENANT_PURGE_PARTICIPANTS].sort());
  });

  it('lets every identity publish only its own events, and grants nobody every subject', () => {
    for (const id of BUS_IDENTITIES) {
      const { publish, subscribe } = busPermissions(id);
      expect([...publish, ...subscribe].filter((s) => s === '>' || s.startsWith('> '))).toEqual([]);
      const events = publish.filter((s) => /^(evt|audit)\./.test(s) && !allRpcContracts().some((c) => c.subject === s));
      expect(events.every((s) => eventOwnerOf(s) === id)).toBe(true);
      expect(subscribe).toContain(`_INBOX.${id}.>`);
    }
    expect(busPermissions('gateway').respond).toBe(false);
    expect(busPermissions('vault').respond).toBe(true);
  });
});

describe('permissions', () => {
  it('knows catalogue names and environment-limited secrets permissions only', () => {
    expect(isKnownPermission('secrets:read')).toBe(true);
    expect(isKnownPermission('secrets:read@staging')).toBe(true);
    expect(isKnownPermission('users:manage')).toBe(true);
    expect(isKnownPermission('members:manage@staging')).toBe(false);
    expect(isKnownPermission('secrets:read@Bad Env')).toBe(false);
    expect(isKnownPermission('root')).toBe(false);
  });

  it('limits an environment-suffixed grant to that environment', () => {
    const granted = ['secrets:read@development', 'secrets:read@staging'];
    expect(permits(granted, 'secrets:read', 'staging')).toBe(true);
    expect(permits(granted, 'secrets:read', 'production')).toBe(false);
    expect(permits(['secrets:read'], 'secrets:read', 'production')).toBe(true);
  });

  it('gives owners everything, admins all but deletion, viewers no writes', () => {
    expect(BUILT_IN_TENANT_ROLES.owner).toContain('tenant:delete');
    expect(BUILT_IN_TENANT_ROLES.admin).not.toContain('tenant:delete');
    expect(BUILT_IN_TENANT_ROLES.admin).toContain('members:manage');
    expect(BUILT_IN_TENANT_ROLES.member).not.toContain('members:manage');
    expect(BUILT_IN_TENANT_ROLES.viewer.some((p) => /write|delete|manage/.test(p))).toBe(false);
  });
});
