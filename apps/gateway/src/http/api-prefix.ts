/** Every public API controller lives under this prefix (docs/api.md); operations routes do not. */
export const API_PREFIX = 'api/v1';
