// The local mail catcher of `npm start`: an SMTP server on 127.0.0.1 that accepts every message and writes it,
// unchanged, as an .eml file under a directory (.data/mail/), so a newcomer reads Lockwell's mail with any text
// editor or mail client and configures nothing. Loopback only, no authentication, never for production.
import { SMTPServer } from 'smtp-server';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Starts the catcher on `port`; each message becomes `<dir>/<time>-<random>.eml`. Resolves to { url, stop() }. */
export async function startMailCatcher({ port, dir, log = () => {} }) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, done) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`;
        writeFileSync(path.join(dir, name), Buffer.concat(chunks), { mode: 0o600 });
        log(`mail to ${session.envelope.rcptTo.map((r) => r.address).join(', ')} written to ${path.join(dir, name)}`);
        done();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
