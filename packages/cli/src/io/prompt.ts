// Reading what must not land in shell history or on screen: passwords, tokens and secret values come from a
// prompt that does not echo, from stdin, or from a file.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** All of stdin. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The first line of stdin (a password piped in with `printf '%s\n' "$PW" |`). */
export async function readStdinLine(): Promise<string> {
  return (await readStdin()).split(/\r?\n/)[0];
}

export const stdinIsTerminal = () => process.stdin.isTTY === true;

/** Asks on the terminal; with `hidden` the answer is not echoed. The prompt goes to stderr, keeping stdout clean. */
export function ask(question: string, { hidden = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      // readline echoes through _writeToOutput; print the question once and nothing of the answer.
      const internal = rl as unknown as { _writeToOutput: (s: string) => void };
      internal._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stderr.write(question);
      };
    }
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new Error('cancelled'));
    });
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** A secret value: `--file` verbatim, else stdin without its final line break, else a hidden prompt. */
export async function readValue(file: string | undefined, what: string): Promise<string> {
  if (file !== undefined) return readFileSync(file, 'utf8');
  if (stdinIsTerminal()) return ask(`${what}: `, { hidden: true });
  return (await readStdin()).replace(/\r?\n$/, '');
}
