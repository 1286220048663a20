import type { SecretStatus } from '../api/types';
import { STATUS_LABELS } from './secret-labels';

export function StatusBadge({ status }: { status: SecretStatus }) {
  const tone = status === 'active' ? 'badge-ok' : status === 'inactive' ? 'badge-muted' : 'badge-warn';
  return <span className={`badge ${tone}`}>{STATUS_LABELS[status]}</span>;
}
