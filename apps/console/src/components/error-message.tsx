import { errorHelp } from '../api/error-help';

/** An API error as a person reads it: what happened, what to do, the fields at fault, the code and request id. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const help = errorHelp(error);
  return (
    <div className="alert alert-error" role="alert">
      <p>
        <strong>{help.title}</strong> {help.action}
      </p>
      {help.details.length > 0 && (
        <ul>
          {help.details.map((d, i) => (
            <li key={i}>{d.field ? `${d.field}: ${d.issue}` : d.issue}</li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Error code <code>{help.code}</code>
        {help.requestId && (
          <>
            {' '}
            · request id <code>{help.requestId}</code>
          </>
        )}
      </p>
    </div>
  );
}
