/**
 * `npm run schema`: writes snapshots/scenario.schema.json from the zod schema, the one source of
 * the scenario format (a test fails when the kept file and the schema differ).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../world/scenario-schema.js';

const target = fileURLToPath(new URL('../../snapshots/scenario.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
