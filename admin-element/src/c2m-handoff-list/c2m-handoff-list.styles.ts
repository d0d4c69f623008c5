import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [sharedStyles, tableStyles];
