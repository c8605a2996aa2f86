/** RFC 9162 §5 (/ct/v2/): not served yet. */
import type { ApiHandler } from './extra-api.js';

export const handleV2: ApiHandler = async () => false;
