import { useMutation } from '@tanstack/react-query';
import { unwrap } from '@lockwell/sdk';
import { useApi } from '../session/session-context';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { PROBLEMS } from './audit-labels';

/**
 * Walks the tenant's hash chain on request (the walk reads every record, so it does not run on each visit) and
 * says whether it is intact or where it first breaks. A long chain is walked segment after segment, each call
 * resuming at the signed checkpoint where the last one stopped; the counts add up. The result is announced in a
 * live region.
 */
export function ChainVerification({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const verify = useMutation({
    mutationFn: async () => {
      let after: number | undefined;
      let records = 0;
      let checkpoints = 0;
      for (;;) {
        const query = { tenant_id: tenantId, ...(after === undefined ? {} : { after_sequence: after }) };
        const segment = await unwrap(api.GET('/api/v1/audit/verify', { params: { query } }));
        records += segment.records_checked;
        checkpoints += segment.checkpoints_checked;
        if (!segment.intact || segment.complete || segment.next_after_sequence === null)
          return { ...segment, records_checked: records, checkpoints_checked: checkpoints };
        after = segment.next_after_sequence;
      }
    },
  });
  const result = verify.data;
  return (
    <section className="card" aria-labelledby="audit-verify-heading">
      <div className="section-header">
        <h2 id="audit-verify-heading">Chain verification</h2>
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {verify.isPending ? 'Verifying…' : 'Verify the chain'}
        </button>
      </div>
      <p className="muted small">
        Every record is linked to the one before it by a hash, and signed checkpoints fix the chain's length: an edited,
        removed or reordered record breaks the chain from that point.
      </p>
      <ErrorMessage error={verify.error} />
      <div role="status" aria-live="polite">
        {result?.intact && (
          <p className="alert alert-success">
            The chain is intact: {result.records_checked} records and {result.checkpoints_checked} signed checkpoints
            checked.
          </p>
        )}
        {result && !result.intact && (
          <div className="alert alert-error">
            <p>
              <strong>The chain is broken</strong>
              {result.problem ? `: ${PROBLEMS[result.problem]}` : '.'} {result.records_checked} records checked.
            </p>
            {result.first_broken && (
              <p>
                First broken record: <code>{result.first_broken.id}</code> ({result.first_broken.action},{' '}
                <DateTime value={result.first_broken.time} />
                ). Compare with an export kept elsewhere and report it to the installation's administrators.
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
