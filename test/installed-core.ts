import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const coreSource = join(root, 'packages/core/src');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Installs a copy of core, as npm would, in `project`/node_modules/@runometer/core: its
 * package.json, its sources and their JavaScript (each file compiled alone, as `tsc` emits it).
 * Its dependencies are linked to this repository's, or (`ownTsyringe`) tsyringe is a copy of its own.
 */
export async function installCore(project: string, { ownTsyringe = false } = {}): Promise<void> {
  const installed = join(project, 'node_modules/@runometer/core');
  await mkdir(installed, { recursive: true });
  await writeFile(join(installed, 'package.json'), await readFile(join(root, 'packages/core/package.json')));
  for (const file of await sourceFiles(coreSource)) {
    const path = relative(coreSource, file);
    const source = await readFile(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    });
    for (const tree of ['src', 'dist']) await mkdir(dirname(join(installed, tree, path)), { recursive: true });
    await writeFile(join(installed, 'src', path), source);
    await writeFile(join(installed, 'dist', path.replace(/\.ts$/, '.js')), outputText);
  }
  const modules = join(project, 'node_modules');
  for (const dependency of ['reflect-metadata', 'tslib', ...(ownTsyringe ? [] : ['tsyringe'])]) {
    await symlink(join(root, 'node_modules', dependency), join(modules, dependency), 'dir').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (ownTsyringe) await cp(join(root, 'node_modules/tsyringe'), join(modules, 'tsyringe'), { recursive: true });
}

export type DecoratorForm = 'legacy' | 'standard';

/** What a preset author's tsconfig says for each form: the flags, or none (TypeScript 5's standard decorators). */
function compilerOptions(form: DecoratorForm, outDir: string | undefined): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    types: [],
    // Core's types from its sources: what its declarations say, without building them.
    customConditions: ['@runometer/source'],
    skipLibCheck: true,
    ...(outDir === undefined ? { noEmit: true } : { outDir }),
    ...(form === 'legacy' ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
  };
}

/**
 * Compiles `files` with `tsc`'s compiler, with the options of `form`, into `outDir` (or only
 * checks them), and returns the errors it found in them. `previous` is a program whose parsed files are reused.
 */
export function compile(
  files: readonly string[],
  form: DecoratorForm,
  outDir?: string,
  previous?: ts.Program,
): { program: ts.Program; errors: string[] } {
  const program = ts.createProgram(files, compilerOptions(form, outDir), undefined, previous);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...files.flatMap((file) => {
      const source = program.getSourceFile(file);
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    }),
  ];
  if (outDir !== undefined) program.emit();
  return {
    program,
    errors: diagnostics.map((diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`),
  };
}
