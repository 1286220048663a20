/** DI tokens of the identity service. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
