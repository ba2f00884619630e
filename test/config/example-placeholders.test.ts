import fs from 'node:fs';
import { EXAMPLE_PLACEHOLDERS, examplePlaceholderProblem, examplePlaceholdersIn, idsOf } from '../../src/config/example-placeholders';
import { loadRouting, parseRouting } from '../../src/config/load-routing';
import { EXAMPLE_ROUTING_FILE, routingOf } from './routing-fixtures';

/** A copy of the shipped example, not yet edited, is refused at start: it would fail only at the first card. */

const example = routingOf(loadRouting(EXAMPLE_ROUTING_FILE));
const exampleText = fs.readFileSync(EXAMPLE_ROUTING_FILE, 'utf8');

test('the built-in placeholders are exactly the IDs of the example file', () => {
  expect([...EXAMPLE_PLACEHOLDERS].sort()).toEqual([...new Set(idsOf(example))].sort());
});

test('the example copied as it is holds nothing but placeholders, each named once', () => {
  const found = examplePlaceholdersIn(example);
  expect(found).toEqual(expect.arrayContaining(['C0123REVIEW', 'C0123CRISIS', 'U0AAAAAA1', 'ana@example.com', 'S0LEGAL01', 'U0LEAD001']));
  expect(new Set(found).size).toBe(found.length);
});

test('a routing file with the IDs replaced holds none; one placeholder left behind is named', () => {
  // given the example with every made-up ID replaced, then the same with one lead left as in the example
  const placeholders = examplePlaceholdersIn(example);
  let edited = exampleText;
  placeholders.forEach((id, i) => (edited = edited.split(id).join(id.includes('@') ? `person${i}@brand.test` : `${id[0]}0REAL${String(i).padStart(4, '0')}`)));
  const real = routingOf(parseRouting(edited, 'routing.yml'));
  expect(examplePlaceholdersIn(real)).toEqual([]);
  expect(examplePlaceholderProblem(real, 'routing.yml')).toBeUndefined();
  const leftOver = routingOf(parseRouting(edited.replace(/U0REAL\d{4}\]/, 'U0LEAD001]'), 'routing.yml'));
  expect(examplePlaceholdersIn(leftOver)).toEqual(['U0LEAD001']);
});

test('the start is told which file and which IDs, a few at most, and where to put real ones', () => {
  const problem = examplePlaceholderProblem(example, './routing.yml');
  expect(problem).toMatch(/^\.\/routing\.yml: still holds the example's made-up IDs \([^)]*C0123REVIEW[^)]* and \d+ more\): put in your workspace's .* \(README, setup step 5\)$/);
});

test("the README's routing file, copied as it is, is refused too: its IDs are all the example's", () => {
  const readme = fs.readFileSync(`${__dirname}/../../README.md`, 'utf8');
  const snippet = readme.split('## Routing file')[1]?.split('```yaml\n')[1]?.split('```')[0] ?? '';
  const copied = routingOf(parseRouting(snippet, 'routing.yml'));
  const ids = [...copied.topics.map((t) => t.channel), ...Object.values(copied.roles).flatMap((r) => [...r.userIds, ...r.emails, ...r.usergroups])];
  expect(ids.length).toBeGreaterThan(5);
  expect(examplePlaceholdersIn(copied).sort()).toEqual([...new Set(ids)].sort());
});
