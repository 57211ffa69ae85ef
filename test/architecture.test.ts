/**
 * Architecture rules of the source tree (docs/design.md §0, §17.3), checked on the files
 * themselves: size, no module-level state, import direction, and that every section of
 * docs/design.md cited from src/ exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const MAX_LINES = 500;
/** Constructors whose instances are mutable state when held in a module-level constant. */
const STATEFUL_CONSTRUCTORS = new Set([
  'Float64Array',
  'Float32Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
  'Array',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
]);
/** Methods that change an array, typed array, map or set in place. */
const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);

/** Every .ts file under `dir` (relative to the repository root), sorted. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function parse(file: string, text = readFileSync(join(ROOT, file), 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Files over MAX_LINES lines, as "file: n lines". */
export function longFiles(files: Record<string, string>): string[] {
  return Object.entries(files)
    .map(([file, text]) => [file, text.split('\n').length - (text.endsWith('\n') ? 1 : 0)] as const)
    .filter(([, n]) => n > MAX_LINES)
    .map(([file, n]) => `${file}: ${n} lines`);
}

/** Strips `as`, `satisfies`, `!` and parentheses around an expression. */
function unwrap(e: ts.Expression): ts.Expression {
  while (
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isParenthesizedExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/** The identifier an access chain such as `X.a[i].b` starts from. */
function rootIdentifier(e: ts.Expression): string | null {
  e = unwrap(e);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
  return ts.isIdentifier(e) ? e.text : null;
}

/**
 * Module-level state in one file: `let`/`var` at top level; `const X = new Float64Array(…)` (and
 * the other typed arrays, Array, Map, Set, or their `.from`/`.of`); and top-level `const` object or
 * array literals that the file's code mutates (assigns into, increments, or calls an in-place
 * method on). A `const` table only read is fine.
 */
export function moduleState(file: string, text: string): string[] {
  const sf = parse(file, text);
  const problems: string[] = [];
  const literals = new Set<string>();
  const where = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const flags = st.declarationList.flags;
    const isConst = (flags & ts.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) {
      const name = d.name.getText(sf);
      if (!isConst) {
        problems.push(`${where(d)}: module-level ${(flags & ts.NodeFlags.Let) !== 0 ? 'let' : 'var'} ${name}`);
        continue;
      }
      if (!d.initializer) continue;
      const init = unwrap(d.initializer);
      if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && STATEFUL_CONSTRUCTORS.has(init.expression.text)) {
        problems.push(`${where(d)}: module-level const ${name} = new ${init.expression.text}(…)`);
      } else if (
        ts.isCallExpression(init) &&
        ts.isPropertyAccessExpression(init.expression) &&
        ts.isIdentifier(init.expression.expression) &&
        STATEFUL_CONSTRUCTORS.has(init.expression.expression.text) &&
        (init.expression.name.text === 'from' || init.expression.name.text === 'of')
      ) {
        problems.push(`${where(d)}: module-level const ${name} = ${init.expression.getText(sf)}(…)`);
      } else if ((ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init)) && ts.isIdentifier(d.name)) {
        literals.add(d.name.text);
      }
    }
  }
  if (literals.size === 0) return problems;
  const visit = (n: ts.Node): void => {
    let target: ts.Expression | null = null;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      target = n.left;
    } else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      target = n.operand;
    } else if (ts.isDeleteExpression(n)) {
      target = n.expression;
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATING_METHODS.has(n.expression.name.text)) {
      target = n.expression.expression;
    }
    if (target) {
      const t = unwrap(target);
      // Assigning into X.a or X[i] (not rebinding X itself, which const forbids anyway).
      const into = ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t) || ts.isCallExpression(n);
      const root = rootIdentifier(t);
      if (into && root !== null && literals.has(root)) problems.push(`${where(n)}: module-level const ${root} is mutated (${n.getText(sf).slice(0, 60)})`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return problems;
}

/** Module specifiers of a file: static imports and re-exports, dynamic `import()` and `require()`. */
function specifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.arguments.length > 0 && ts.isStringLiteralLike(n.arguments[0])) {
      if (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))
        out.push(n.arguments[0].text);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push(n.argument.literal.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Imports of `file` that resolve into one of the `forbidden` top-level folders, as "file → specifier". */
export function importsInto(file: string, text: string, forbidden: readonly string[]): string[] {
  return specifiers(parse(file, text))
    .filter((spec) => spec.startsWith('.'))
    .filter((spec) => {
      const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).split(/[\\/]/)[0];
      return forbidden.includes(target);
    })
    .map((spec) => `${file} → ${spec}`);
}

/** Section numbers that are headings of docs/design.md ("## §9. …", "### §9.4 …"). */
export function designHeadings(doc: string): Set<string> {
  const out = new Set<string>();
  for (const m of doc.matchAll(/^#{1,6}\s+§(\d+(?:\.\d+)*)[.\s]/gm)) out.add(m[1]);
  return out;
}

/**
 * Every section cited as `docs/design.md §N[.M]` in a file, including lists and ranges that follow
 * the same citation ("docs/design.md §9.4, §18.13", "§9.3–§9.7").
 */
export function citedSections(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/docs\/design\.md((?:(?:\s*(?:,|;|–|-|and|\(|\))?\s*)(?:\*\s*)?§\d+(?:\.\d+)*)+)/g)) {
    for (const s of m[1].matchAll(/§(\d+(?:\.\d+)*)/g)) out.push(s[1]);
  }
  return out;
}

const SRC = tsFiles('src');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('architecture of src/ (docs/design.md §0, §17.3)', () => {
  it(`has no file over ${MAX_LINES} lines`, () => {
    expect(longFiles(Object.fromEntries(SRC.map((f) => [f, read(f)])))).toEqual([]);
  });

  it('has no module-level let/var, stateful constants or mutated constant literals', () => {
    expect(SRC.flatMap((f) => moduleState(f, read(f)))).toEqual([]);
  });

  it('imports nothing from bench/ or test/', () => {
    expect(SRC.flatMap((f) => importsInto(f, read(f), ['bench', 'test']))).toEqual([]);
  });

  it('cites only sections that docs/design.md has', () => {
    const headings = designHeadings(read('docs/design.md'));
    expect(headings.size).toBeGreaterThan(100);
    const missing = SRC.flatMap((f) =>
      citedSections(read(f))
        .filter((s) => !headings.has(s))
        .map((s) => `${f}: docs/design.md §${s}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('architecture of test/', () => {
  it('imports nothing from bench/', () => {
    expect(tsFiles('test').flatMap((f) => importsInto(f, read(f), ['bench']))).toEqual([]);
  });
});

describe('the checks themselves catch what they are for', () => {
  it('flags a long file', () => {
    expect(longFiles({ 'src/x.ts': 'a\n'.repeat(MAX_LINES + 1) })).toHaveLength(1);
    expect(longFiles({ 'src/x.ts': 'a\n'.repeat(MAX_LINES) })).toEqual([]);
  });

  it('flags module-level state and lets read-only tables pass', () => {
    expect(moduleState('src/x.ts', 'let n = 0;\nexport var m = 1;')).toHaveLength(2);
    expect(moduleState('src/x.ts', 'const buf = new Float64Array(16);\nexport const seen = new Set<string>();\nconst b = Uint8Array.from([1]);')).toHaveLength(
      3,
    );
    expect(moduleState('src/x.ts', 'const cache = { n: 0 };\nexport function f() { cache.n++; }')).toHaveLength(1);
    expect(moduleState('src/x.ts', 'const list: number[] = [];\nexport function f(x: number) { list.push(x); }')).toHaveLength(1);
    expect(
      moduleState(
        'src/x.ts',
        'const T = [1, 2, 3] as const;\nconst D = Object.freeze({ a: 1 });\nexport function f(i: number) { let s = 0; s += T[i] + D.a; return s; }',
      ),
    ).toEqual([]);
  });

  it('flags imports into bench/ and test/', () => {
    expect(importsInto('src/fit/x.ts', "import { a } from '../../bench/corpus.js';", ['bench', 'test'])).toHaveLength(1);
    expect(importsInto('src/x.ts', "export * from '../test/helpers.js';\nconst m = await import('../bench/fit.js');", ['bench', 'test'])).toHaveLength(2);
    expect(importsInto('src/x.ts', "import { a } from './fit/index.js';\nimport ts from 'typescript';", ['bench', 'test'])).toEqual([]);
  });

  it('reads cited sections and headings', () => {
    expect(citedSections('see docs/design.md §9.4, §18.13 and (docs/design.md §9.3–§9.7); design.md §4')).toEqual(['9.4', '18.13', '9.3', '9.7']);
    expect([...designHeadings('## §9. The loop\n### §9.4 Pass\ntext §1.2\n')]).toEqual(['9', '9.4']);
  });
});
