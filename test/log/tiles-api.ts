/** static-ct-api (c2sp.org/static-ct-api) read path: not served yet. */
import type { ApiHandler } from './extra-api.js';

export const handleTiles: ApiHandler = async () => false;
