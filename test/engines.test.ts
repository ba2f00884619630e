import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/**
 * The Node versions Greenlight says it runs on (package.json `engines`, and the README) are ones each of its runtime
 * dependencies accepts: undici asks for 20.18.1, better-sqlite3 leaves out Node 21.
 */

const root = path.join(__dirname, '..');
const readJson = (file: string): { engines?: { node?: string }; dependencies?: Record<string, string> } =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as { engines?: { node?: string }; dependencies?: Record<string, string> };

const own = readJson(path.join(root, 'package.json'));
const range = own.engines?.node ?? '';

test.each(Object.keys(own.dependencies ?? {}))('the lowest Node of each major from 20 to 24 that Greenlight accepts, %s accepts too', (name) => {
  const wanted = readJson(path.join(root, 'node_modules', name, 'package.json')).engines?.node;
  if (wanted === undefined) return;
  // The lowest of each major Greenlight accepts (20.18.1, 22.0.0, …), up to the newest Node as this was written.
  for (const major of [20, 21, 22, 23, 24]) {
    const lowest = semver.minVersion(semver.validRange(`${range} >=${major}.0.0 <${major + 1}.0.0`) ?? '<0.0.0-0');
    if (lowest && semver.satisfies(lowest, range)) expect({ node: lowest.version, [name]: semver.satisfies(lowest, wanted) }).toEqual({ node: lowest.version, [name]: true });
  }
});

test('the README names the lowest Node version package.json accepts', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  expect(readme).toContain(`Node ${semver.minVersion(range)?.version} or newer`);
});
