import base from '../../jest.config.base.js';

// Unit tests of the console's pure helpers (no DOM): PEM expiry, .env parsing, error help.
export default base;
