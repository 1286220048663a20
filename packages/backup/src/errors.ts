/** A refusal or failure the operator can act on: printed as its message alone, never with a stack. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}
