// Turns pasted .env text into key/value pairs for the form. The vault accepts `dotenv` text itself too; parsing
// here lets the person see and correct the pairs before saving. KEY=value per line, `export ` allowed, # comments,
// single or double quotes around the value (double quotes understand \n).

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)?\s*$/;

export interface DotenvResult {
  pairs: [string, string][];
  /** 1-based numbers of lines that were neither pairs, comments nor blank. */
  skipped: number[];
}

export function parseDotenv(text: string): DotenvResult {
  const pairs: [string, string][] = [];
  const skipped: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) {
      skipped.push(i + 1);
      return;
    }
    let value = (m[2] ?? '').trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    else if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    pairs.push([m[1]!, value]);
  });
  return { pairs, skipped };
}
