import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

// `npm run lint:deps` for real: the depcruise binary with the project's .dependency-cruiser.cjs, on the
// repository and on small library trees written to a temp dir, each breaking (or keeping) one rule.
const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

async function depcruise(cwd: string, targets: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DEPCRUISE, ...targets, '--config', CONFIG], {
      cwd,
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

describe('npm run lint:deps (dependency-cruiser)', () => {
  let tsconfig: string;
  const dirs: string[] = [];

  // A tree of files (path → source) in a fresh temp dir with the project's tsconfig.json, cruised from libs/.
  async function cruise(files: Record<string, string>) {
    const dir = await mkdtemp(join(tmpdir(), 'kindshift-dependency-rules-'));
    dirs.push(dir);
    await writeFile(join(dir, 'tsconfig.json'), tsconfig);
    for (const [path, source] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), source);
    }
    return depcruise(dir, ['libs']);
  }

  beforeAll(async () => {
    tsconfig = await readFile(join(ROOT, 'tsconfig.json'), 'utf8');
  });
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('finds no violation in the repository', async () => {
    const { code, output } = await depcruise(ROOT, ['libs', 'src']);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('passes a downward import through index.ts, and platform parts importing each other relatively', async () => {
    const { code, output } = await cruise({
      'libs/offers/a.ts': "import { match } from '../matching/index.js';\nexport const a = match;\n",
      'libs/matching/index.ts': "export { match } from './matching.service.js';\n",
      'libs/matching/matching.service.ts': "import { db } from '../platform/index.js';\nexport const match = db;\n",
      'libs/platform/index.ts': "export { db } from './config/index.js';\n",
      'libs/platform/config/index.ts': "import { pool } from '../database/pool.js';\nexport const db = pool;\n",
      'libs/platform/database/pool.ts': 'export const pool = 1;\n',
    });
    expect(output).toMatch(/no dependency violations found \(6 modules, 5 dependencies cruised\)/);
    expect(code).toBe(0);
  });

  it('fails on a cycle between two adjacent libraries, naming the layer rule', async () => {
    const { code, output } = await cruise({
      'libs/organisations/index.ts': "export { x } from './x.js';\n",
      'libs/organisations/x.ts': "import { m } from '../matching/index.js';\nexport const x = () => m;\n",
      'libs/matching/index.ts': "import { x } from '../organisations/index.js';\nexport const m = () => x;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error layer-order-organisations: libs/organisations/x.ts → libs/matching/index.ts');
  });

  it('fails on a cycle between libraries far apart in the order (platform → offers)', async () => {
    const { code, output } = await cruise({
      'libs/platform/index.ts': "import { o } from '../offers/index.js';\nexport const p = () => o;\n",
      'libs/offers/index.ts': "import { p } from '../platform/index.js';\nexport const o = () => p;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error layer-order-platform: libs/platform/index.ts → libs/offers/index.ts');
  });

  it('fails on a cycle between files inside one library', async () => {
    const { code, output } = await cruise({
      'libs/common/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'libs/common/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/error no-circular: libs\/common\/a\.ts →\s+libs\/common\/b\.ts →\s+libs\/common\/a\.ts/);
  });

  it('fails on an import past another library’s index.ts, naming the deep-import rule', async () => {
    const { code, output } = await cruise({
      'libs/offers/a.ts': "import { match } from '../matching/matching.service.js';\nexport const a = match;\n",
      'libs/matching/index.ts': "export { match } from './matching.service.js';\n",
      'libs/matching/matching.service.ts': 'export const match = 1;\n',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error no-deep-import: libs/offers/a.ts → libs/matching/matching.service.ts');
  });

  it('fails on an import of a platform part past libs/platform/index.ts', async () => {
    const { code, output } = await cruise({
      'libs/offers/a.ts': "import { db } from '../platform/config/index.js';\nexport const a = db;\n",
      'libs/platform/index.ts': "export { db } from './config/index.js';\n",
      'libs/platform/config/index.ts': 'export const db = 1;\n',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error no-deep-import: libs/offers/a.ts → libs/platform/config/index.ts');
  });

  it('lets a spec reach into another library’s internals', async () => {
    const { code, output } = await cruise({
      'libs/platform/http/null-input.spec.ts':
        "import { Dto } from '../../offers/offers.dto.js';\nexport const dto = Dto;\n",
      'libs/offers/offers.dto.ts': 'export class Dto {}\n',
    });
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('fails when a library imports src/', async () => {
    const { code, output } = await cruise({
      'libs/web/a.ts': "import { app } from '../../src/api/app.js';\nexport const a = app;\n",
      'src/api/app.ts': 'export const app = 1;\n',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error libs-not-to-src-or-test: libs/web/a.ts → src/api/app.ts');
  });

  it('lets a spec import test/support, but not src/', async () => {
    const { code, output } = await cruise({
      'libs/common/a.spec.ts':
        "import { z } from '../../test/support/zones.js';\nimport { app } from '../../src/api/app.js';\nexport const a = [z, app];\n",
      'test/support/zones.ts': 'export const z = 1;\n',
      'src/api/app.ts': 'export const app = 1;\n',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error libs-specs-only-to-test-support: libs/common/a.spec.ts → src/api/app.ts');
    expect(output).not.toContain('test/support/zones.ts');
  });

  it('fails on an import that does not resolve', async () => {
    const { code, output } = await cruise({
      'libs/offers/a.ts': "import { gone } from '../matching/index.js';\nexport const a = gone;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('error not-to-unresolvable: libs/offers/a.ts → ../matching/index.js');
  });

  describe('a library that is not in LAYERS', () => {
    it('fails when it imports something', async () => {
      const { code, output } = await cruise({
        'libs/newthing/index.ts': "import { c } from '../common/index.js';\nexport const n = c;\n",
        'libs/common/index.ts': 'export const c = 1;\n',
      });
      expect(code).not.toBe(0);
      expect(output).toContain('error unknown-library-imports: libs/newthing/index.ts → libs/common/index.ts');
    });

    it('fails when it is imported', async () => {
      const { code, output } = await cruise({
        'libs/web/a.ts': "import { n } from '../newthing/index.js';\nexport const a = n;\n",
        'libs/newthing/index.ts': 'export const n = 1;\n',
      });
      expect(code).not.toBe(0);
      expect(output).toContain('error unknown-library-imported: libs/web/a.ts → libs/newthing/index.ts');
    });

    it('fails when it neither imports nor is imported', async () => {
      const { code, output } = await cruise({ 'libs/newthing/index.ts': 'export const n = 1;\n' });
      expect(code).not.toBe(0);
      expect(output).toContain('error unknown-library-orphan: libs/newthing/index.ts');
    });
  });
});
