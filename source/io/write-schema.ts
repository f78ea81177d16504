/**
 * `npm run schema`: writes the JSON Schemas kept in snapshots/ from the zod schemas, the one
 * source of each format: scenario.schema.json (what nfdb reads), snapshot.schema.json (what
 * `nfdb save` writes), trace.schema.json (what `nfdb run --json` writes) and
 * comparison.schema.json (`nfdb run --compare --json`). A test beside each schema fails when the
 * kept file and it differ.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { comparisonJsonSchema } from '../trace/diff/schema.js';
import { traceJsonSchema } from '../trace/trace-schema.js';
import { scenarioJsonSchema } from '../world/scenario-schema.js';
import { snapshotJsonSchema } from '../world/snapshot-schema.js';

const schemas: [string, unknown][] = [
  ['scenario.schema.json', scenarioJsonSchema()],
  ['snapshot.schema.json', snapshotJsonSchema()],
  ['trace.schema.json', traceJsonSchema()],
  ['comparison.schema.json', comparisonJsonSchema()],
];
for (const [name, schema] of schemas) {
  const target = fileURLToPath(new URL(`../../snapshots/${name}`, import.meta.url));
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
}
