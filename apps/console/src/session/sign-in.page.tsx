import { useState } from 'react';
import { useSession } from './session-context';
import { ErrorMessage } from '../components/error-message';
import { Form, TextField } from '../components/form';
import { usePageTitle } from '../components/page-title';

export function SignInPage({ reason }: { reason?: string }) {
  usePageTitle('Sign in');
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <main id="main" className="sign-in">
      <div className="card">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width="32" height="32" />
          <span>Lockwell</span>
        </div>
        <h1>Sign in</h1>
        {reason && (
          <p className="alert alert-info" role="status">
            {reason}
          </p>
        )}
        <ErrorMessage error={error} />
        <Form
          label="Sign in"
          onSubmit={async () => {
            setBusy(true);
            setError(null);
            try {
              await signIn(email, password);
            } catch (err) {
              setError(err);
              setBusy(false);
            }
          }}
        >
          <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={setEmail} />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </Form>
        <p className="small muted">
          No account? An administrator of this Lockwell installation creates them. The API is documented at{' '}
          <a href="/docs">/docs</a>.
        </p>
      </div>
    </main>
  );
}
