import {
  allEventContracts,
  allRpcContracts,
  BUILT_IN_TENANT_ROLES,
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
      for (const pattern of streamSubjects) expect({ subject, captured: matches(pattern, subject) }).toEqual({ subject, captured: false });
    }
  });

  it('captures every event subject in a stream', () => {
    const streamSubjects = Object.values(STREAMS).flatMap((s) => [...s.subjects]);
    for (const { subject } of allEventContracts()) expect(streamSubjects.some((p) => matches(p, subject))).toBe(true);
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
