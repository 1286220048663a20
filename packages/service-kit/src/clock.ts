/** Time as a port, so lifecycle and expiry logic is testable with a fake clock. */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
