import type { SecretWithValue } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { DataTable } from '../components/data-table';
import { DateTime } from '../components/date-time';

const PART_LABELS: Record<string, string> = {
  header_name: 'Header name',
  value: 'API key',
  header_value: 'Token',
  client_id: 'Client id',
  client_secret: 'Client secret',
  token_url: 'Token URL',
  scopes: 'Scopes',
  certificate: 'Certificate',
  private_key: 'Private key',
};

/** A revealed value: the primary value with a copy button, and the typed parts. */
export function RevealedValue({ secret }: { secret: SecretWithValue }) {
  const data = secret.data as Record<string, unknown> | undefined;
  return (
    <div className="revealed" data-testid="revealed-value">
      {secret.type === 'key_value' && data?.pairs ? (
        <DataTable label="Pairs" headers={['Key', 'Value']}>
          {Object.entries(data.pairs as Record<string, string>).map(([k, v]) => (
            <tr key={k}>
              <td>
                <code>{k}</code>
              </td>
              <td>
                <code className="value">{v}</code>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : data ? (
        <dl className="facts">
          {Object.entries(data).map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{PART_LABELS[k] ?? k}</dt>
              <dd>
                <code className={k === 'certificate' || k === 'private_key' ? 'value pem' : 'value'}>
                  {Array.isArray(v) ? v.join(' ') : String(v)}
                </code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <code className="value">{secret.secret_value}</code>
      )}
      <p>
        <CopyButton
          value={secret.secret_value ?? ''}
          label={secret.type === 'key_value' ? 'Copy as .env' : 'Copy value'}
        />
      </p>
      <p className="small muted">
        Version {secret.version}; this read was recorded at <DateTime value={secret.last_accessed_at} />.
      </p>
    </div>
  );
}
