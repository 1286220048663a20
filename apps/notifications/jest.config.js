import base, { withInfra } from '../../jest.config.base.js';
export default withInfra({ ...base });
