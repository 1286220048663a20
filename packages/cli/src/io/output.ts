// What the CLI prints: aligned tables for people, JSON for machines (--json), and env files for `export`.

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(headers: string[], rows: Array<Array<string | number | null | undefined>>): void {
  if (rows.length === 0) {
    process.stderr.write('(none)\n');
    return;
  }
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  process.stdout.write(`${[line(headers), ...cells.map(line)].join('\n')}\n`);
}

export type EnvFormat = 'dotenv' | 'json' | 'yaml';
export const ENV_FORMATS: EnvFormat[] = ['dotenv', 'json', 'yaml'];

/**
 * Renders variables. dotenv: `KEY='value'` (single quotes: nothing is expanded by dotenv, Docker or a shell), or
 * `KEY="…"` with \n, \" and \\ escapes when the value holds a quote or a line break. yaml: every value
 * double-quoted with JSON escapes (a JSON string is a valid YAML double-quoted scalar), so `no`, `0123` and
 * `null` stay strings.
 */
export function formatEnv(env: Record<string, string>, format: EnvFormat): string {
  const names = Object.keys(env).sort();
  if (format === 'json') return `${JSON.stringify(Object.fromEntries(names.map((n) => [n, env[n]])), null, 2)}\n`;
  if (format === 'yaml') return names.map((n) => `${n}: ${JSON.stringify(env[n])}\n`).join('');
  return names.map((n) => `${n}=${dotenvQuote(env[n])}\n`).join('');
}

function dotenvQuote(value: string): string {
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}
