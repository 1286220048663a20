import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { unwrap } from '@lockwell/sdk';
import { Page } from '../layout/page';
import { useApi, useProfile } from '../session/session-context';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { Form, TextField } from '../components/form';
import { StatusMessage } from '../components/status-message';
import { useMyTenants } from '../queries/tenants';

/** The profile (who you are, your roles and memberships) and the password change. */
export function AccountPage() {
  const profile = useProfile();
  const tenants = useMyTenants();
  const nameOf = (id: string) => tenants.data?.items.find((t) => t.id === id)?.name ?? 'Tenant';
  const { user } = profile;
  return (
    <Page title="Account">
      <div className="grid">
        <section className="card" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{user.full_name}</dd>
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Installation roles</dt>
            <dd>{profile.global_roles.join(', ') || 'none'}</dd>
            <dt>Member since</dt>
            <dd>
              <DateTime value={user.created_at} />
            </dd>
            <dt>Last sign-in</dt>
            <dd>
              <DateTime value={user.last_login_at} />
            </dd>
          </dl>
          <h3>Tenant memberships</h3>
          {profile.memberships.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <ul className="plain">
              {profile.memberships.map((m) => (
                <li key={m.tenant_id}>
                  <Link to={`/tenants/${m.tenant_id}`}>{nameOf(m.tenant_id)}</Link>:{' '}
                  <span className="badge">{m.role}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <ChangePassword />
      </div>
    </Page>
  );
}

function ChangePassword() {
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/users/me/password', { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <ErrorMessage error={change.error} />
      <StatusMessage>
        {change.isSuccess && 'Password changed. Your other sessions were signed out; this one stays.'}
      </StatusMessage>
      <Form
        label="Change password"
        onSubmit={() => {
          setMismatch(next !== repeat);
          if (next === repeat) change.mutate();
        }}
      >
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={setCurrent}
        />
        <TextField
          label="New password"
          hint="At least 8 characters; a passphrase of a few words is best. Common passwords are refused."
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={next}
          onChange={setNext}
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={mismatch}
          value={repeat}
          onChange={setRepeat}
        />
        {mismatch && (
          <p className="alert alert-error" role="alert">
            The two new passwords differ. Type the same password twice.
          </p>
        )}
        <button type="submit" disabled={change.isPending}>
          Change password
        </button>
      </Form>
    </section>
  );
}
