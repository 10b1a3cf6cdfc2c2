import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

/**
 * The platforms' own OpenAPI files are not part of the repository: they sit in `../shared/specs`
 * beside it on the project's machines, or wherever CONTACTD_SPECS_DIR says. A bare clone has
 * neither, and its tests must still pass: the suites that hold answers to those files are then
 * skipped, with the reason, and counted as skipped. CI always has them, so there a missing file
 * is a failure rather than a quiet skip.
 */
const SPECS_DIR = process.env.CONTACTD_SPECS_DIR ?? fileURLToPath(new URL('../../../shared/specs/', import.meta.url));

export interface VendorSpec {
  file: string;
  /** Where the file is, when it is there. */
  path: string | undefined;
  /** Why the suites that need it are skipped, when it is not. */
  missing: string | undefined;
}

export function vendorSpec(file: string): VendorSpec {
  const path = join(SPECS_DIR, file);
  if (existsSync(path)) return { file, path, missing: undefined };
  const missing = `${file} is not in ${SPECS_DIR} (set CONTACTD_SPECS_DIR to the folder holding the platforms' OpenAPI files)`;
  if (process.env.CI) throw new Error(`CI must validate against the platforms' files: ${missing}`);
  return { file, path: undefined, missing };
}

/** The file's path; only called from suites that `describeWithSpec` runs, so the file is there. */
export function specPath(spec: VendorSpec): string {
  if (!spec.path) throw new Error(spec.missing);
  return spec.path;
}

/**
 * `describe`, unless the spec file is missing: then one skipped test in its place says why, so
 * that the runner's summary counts the suite as skipped and its setup never runs.
 */
export function describeWithSpec(spec: VendorSpec, name: string, suite: () => void): void {
  if (!spec.missing) return void describe(name, suite);
  describe(name, () => {
    test(`answers validated against ${spec.file}`, { skip: spec.missing }, () => {});
  });
}
