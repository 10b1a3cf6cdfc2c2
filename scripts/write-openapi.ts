// Writes openapi.json from the route schemas; a test fails when the committed file drifts.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../test/support/openapi.ts';

writeFileSync(new URL('../openapi.json', import.meta.url), `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
console.log('openapi.json written');
