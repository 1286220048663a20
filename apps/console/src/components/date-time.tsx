const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A time in the reader's locale and time zone, machine-readable in `datetime`. */
export function DateTime({
  value,
  dateOnly,
  empty = '—',
}: {
  value: string | null | undefined;
  dateOnly?: boolean;
  empty?: string;
}) {
  if (!value) return <>{empty}</>;
  const date = new Date(value);
  return <time dateTime={value}>{(dateOnly ? DATE : FORMAT).format(date)}</time>;
}

export function formatDateTime(value: string | Date): string {
  return FORMAT.format(typeof value === 'string' ? new Date(value) : value);
}
