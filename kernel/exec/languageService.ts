// Type checking, completion and hover docs for cells, from one TypeScript language service whose
// virtual files are:
//   __globals__.d.ts  `tf`, `convkan`, the library's main names and `display`, as globals;
//   __prelude__.ts    what earlier cells declared (declared types of variables, copies of functions,
//                     classes, interfaces, …), one entry per name, the newest cell winning;
//   __cell__.ts       the cell being checked, made a module so that it may declare a name again.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { CompleteResult, InspectResult } from './executorApi';

const GLOBALS_FILE = '__globals__.d.ts';
const PRELUDE_FILE = '__prelude__.ts';
const CELL_FILE = '__cell__.ts';
/** Appended to the cell so it is a module whose declarations shadow the prelude's. */
const CELL_SUFFIX = '\nexport {};\n';

export interface TypeDiagnostic {
  /** 1-based position in the cell. */
  line: number;
  column: number;
  code: number;
  message: string;
}

/** Types given to the globals that every cell sees. */
export interface GlobalTypes {
  /** Module whose exports become the global namespace `tf` (absolute path). */
  tfModule: string;
  /** Module of the ConvKAN library (absolute path), when present. */
  convkanModule?: string;
  /** Names exported by the library that are also globals (ConvKAN2D, KANLinear, …). */
  convkanNames: string[];
  /** Module exporting the DisplayApi type of the `display` global, when present. */
  displayModule?: string;
}

function globalsSource(g: GlobalTypes): string {
  const lines = [`import * as __tf from ${JSON.stringify(g.tfModule)};`];
  const inGlobal = ['export import tf = __tf;'];
  if (g.convkanModule) {
    lines.push(`import * as __convkan from ${JSON.stringify(g.convkanModule)};`);
    inGlobal.push('export import convkan = __convkan;');
    for (const name of g.convkanNames) inGlobal.push(`export import ${name} = __convkan.${name};`);
  }
  if (g.displayModule) {
    lines.push(`import type { DisplayApi as __DisplayApi } from ${JSON.stringify(g.displayModule)};`);
    inGlobal.push('const display: __DisplayApi;');
  } else {
    inGlobal.push('const display: ((value: unknown) => unknown) & Record<string, (...args: any[]) => unknown>;');
  }
  inGlobal.push('/** Asks the notebook user for a line of text (stdin input_request); password hides it. */');
  inGlobal.push('function input(prompt?: string, options?: { password?: boolean }): Promise<string>;');
  return `${lines.join('\n')}\ndeclare global {\n  ${inGlobal.join('\n  ')}\n}\nexport {};\n`;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  // On, as tsc has it under strict: without it `const a = []` is `never[]` and `a.push(1)` fails
  // (TS2345); with it the array's type evolves. Notebook code is exploratory, so the implicit-any
  // reports themselves (untyped parameters, …) are dropped in check().
  noImplicitAny: true,
  esModuleInterop: true,
  allowJs: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  types: ['node'],
};

const STRIP_EXPORT = /^(\s*)export\s+(default\s+)?/;

export class CellLanguageService {
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly prelude = new Map<string, string>();
  private readonly service: ts.LanguageService;
  private readonly options: ts.CompilerOptions;

  constructor(
    private readonly cwd: string,
    globals: GlobalTypes,
    private readonly kernelDir: string,
  ) {
    const typeRoots = [path.join(cwd, 'node_modules', '@types'), ...ancestorsTypeRoots(kernelDir)].filter((d) => fs.existsSync(d));
    this.options = { ...COMPILER_OPTIONS, typeRoots };
    this.setFile(GLOBALS_FILE, globalsSource(globals));
    this.setFile(PRELUDE_FILE, '');
    this.setFile(CELL_FILE, CELL_SUFFIX);
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [GLOBALS_FILE, PRELUDE_FILE, CELL_FILE].map((f) => this.abs(f)),
      getScriptVersion: (file) => String(this.files.get(file)?.version ?? 0),
      getScriptSnapshot: (file) => {
        const virtual = this.files.get(file);
        if (virtual) return ts.ScriptSnapshot.fromString(virtual.text);
        return fs.existsSync(file) ? ts.ScriptSnapshot.fromString(fs.readFileSync(file, 'utf8')) : undefined;
      },
      getCurrentDirectory: () => cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (file) => this.files.has(file) || ts.sys.fileExists(file),
      readFile: (file) => this.files.get(file)?.text ?? ts.sys.readFile(file),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      // The notebook's node_modules first, then the kernel's (where TensorFlow.js and @types/node live).
      resolveModuleNameLiterals: (literals, containingFile, _redirect, options) =>
        literals.map((lit) => {
          const fromCell = ts.resolveModuleName(lit.text, containingFile, options, ts.sys);
          if (fromCell.resolvedModule) return fromCell;
          return ts.resolveModuleName(lit.text, path.join(this.kernelDir, 'index.ts'), options, ts.sys);
        }),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  private abs(name: string): string {
    return path.join(this.cwd, name);
  }

  private setFile(name: string, text: string): void {
    const file = this.abs(name);
    const old = this.files.get(file);
    if (old?.text === text) return;
    this.files.set(file, { text, version: (old?.version ?? 0) + 1 });
  }

  private setCell(code: string): string {
    this.setFile(CELL_FILE, code + CELL_SUFFIX);
    return this.abs(CELL_FILE);
  }

  /** Type and syntax errors of a cell, in its own coordinates. */
  check(code: string): TypeDiagnostic[] {
    const file = this.setCell(code);
    const diags = [...this.service.getSyntacticDiagnostics(file), ...this.service.getSemanticDiagnostics(file)];
    return diags
      .filter((d) => d.category === ts.DiagnosticCategory.Error && (d.start ?? 0) < code.length + 1 && !isImplicitAnyReport(d))
      .map((d) => {
        const lc = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return { line: lc.line + 1, column: lc.character + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
      });
  }

  /** Records what an executed cell declared, so later cells see those names with their types. */
  commit(code: string): void {
    const file = this.setCell(code);
    const program = this.service.getProgram();
    const sf = program?.getSourceFile(file);
    if (!program || !sf) return;
    const checker = program.getTypeChecker();
    const typeText = (node: ts.Node): string => {
      const symbol = checker.getSymbolAtLocation(node);
      if (!symbol) return 'any';
      const type = checker.getTypeOfSymbolAtLocation(symbol, node);
      return checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType);
    };
    const updates = new Map<string, string>();
    const add = (name: string, text: string) => updates.set(name, (updates.get(name) ?? '') + text + '\n');
    const declareBinding = (name: ts.BindingName, keyword: string) => {
      if (ts.isIdentifier(name))
        add(name.text, parsableOr(`declare ${keyword} ${name.text}: ${typeText(name)};`, `declare ${keyword} ${name.text}: any;`));
      else for (const el of name.elements) if (ts.isBindingElement(el)) declareBinding(el.name, keyword);
    };
    for (const s of sf.statements) {
      if (ts.isVariableStatement(s)) {
        const keyword = s.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of s.declarationList.declarations) declareBinding(d.name, keyword);
      } else if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
        const spec = JSON.stringify((s.moduleSpecifier as ts.StringLiteral).text);
        const c = s.importClause;
        if (c.name) this.declareImport(c.name, `import(${spec}).default`, checker, add, typeText);
        const nb = c.namedBindings;
        if (nb && ts.isNamespaceImport(nb))
          add(nb.name.text, parsableOr(`declare const ${nb.name.text}: ${typeText(nb.name)};`, `declare const ${nb.name.text}: any;`));
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) {
            if (!el.isTypeOnly) this.declareImport(el.name, `import(${spec}).${(el.propertyName ?? el.name).text}`, checker, add, typeText);
          }
        }
      } else if (
        (ts.isFunctionDeclaration(s) ||
          ts.isClassDeclaration(s) ||
          ts.isInterfaceDeclaration(s) ||
          ts.isTypeAliasDeclaration(s) ||
          ts.isEnumDeclaration(s) ||
          (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name))) &&
        s.name
      ) {
        add(s.name.text, s.getText(sf).replace(STRIP_EXPORT, '$1'));
      }
    }
    // A name declared again replaces all its earlier declarations.
    for (const [name, text] of updates) this.prelude.set(name, text);
    this.setFile(PRELUDE_FILE, [...this.prelude.values()].join(''));
  }

  private declareImport(
    local: ts.Identifier,
    importType: string,
    checker: ts.TypeChecker,
    add: (name: string, text: string) => void,
    typeText: (node: ts.Node) => string,
  ): void {
    const symbol = checker.getSymbolAtLocation(local);
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    let text = '';
    if (!target || target.flags & ts.SymbolFlags.Value) {
      text += parsableOr(`declare const ${local.text}: ${typeText(local)};`, `declare const ${local.text}: any;`);
    }
    if (target && target.flags & ts.SymbolFlags.Type) text += `${text ? '\n' : ''}type ${local.text} = ${importType};`;
    add(local.text, text);
  }

  complete(code: string, cursorPos: number): CompleteResult {
    const file = this.setCell(code);
    let start = cursorPos;
    while (start > 0 && /[\w$]/.test(code[start - 1])) start--;
    const prefix = code.slice(start, cursorPos);
    const info = this.service.getCompletionsAtPosition(file, cursorPos, {
      includeCompletionsWithInsertText: true,
      includeCompletionsForModuleExports: false,
    });
    const lower = prefix.toLowerCase();
    const entries = (info?.entries ?? [])
      .filter((e) => e.name.toLowerCase().startsWith(lower))
      // Exact-case prefix matches first, then TypeScript's own ranking.
      .sort(
        (a, b) =>
          Number(!a.name.startsWith(prefix)) - Number(!b.name.startsWith(prefix)) ||
          a.sortText.localeCompare(b.sortText) ||
          a.name.localeCompare(b.name),
      );
    return {
      matches: entries.map((e) => e.name),
      cursorStart: start,
      cursorEnd: cursorPos,
      metadata: {
        _jupyter_types_experimental: entries.map((e) => ({ start, end: cursorPos, text: e.name, type: e.kind })),
      },
    };
  }

  inspect(code: string, cursorPos: number, detailLevel: number): InspectResult {
    const file = this.setCell(code);
    // The cursor usually sits just after the name it asks about.
    const info =
      this.service.getQuickInfoAtPosition(file, cursorPos) ??
      (cursorPos > 0 ? this.service.getQuickInfoAtPosition(file, cursorPos - 1) : undefined);
    if (!info) return { found: false, data: {} };
    const signature = ts.displayPartsToString(info.displayParts);
    const docs = ts.displayPartsToString(info.documentation);
    const tags = (info.tags ?? []).map((t) => `@${t.name}${t.text ? ' ' + ts.displayPartsToString(t.text) : ''}`);
    const body = [docs, ...(detailLevel > 0 ? tags : tags.filter((t) => t.startsWith('@param') || t.startsWith('@returns')))].filter(
      Boolean,
    );
    return {
      found: true,
      data: {
        'text/plain': [signature, ...body].join('\n\n'),
        'text/markdown': ['```typescript\n' + signature + '\n```', ...body].join('\n\n'),
      },
    };
  }
}

/** 7005, 7006, 7031, 7034, …: "… implicitly has an 'any' type" and its kin, all in TypeScript's 7xxx range. */
function isImplicitAnyReport(d: ts.Diagnostic): boolean {
  return d.code >= 7000 && d.code < 8000 && /implicitly/i.test(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/**
 * The checker prints some types in a form that is not TypeScript (`typeof (Anonymous class)`); one
 * such line would break the parse of every later prelude declaration, so it falls back to `any`.
 */
function parsableOr(declaration: string, fallback: string): string {
  const sf = ts.createSourceFile('check.ts', declaration, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.length === 0 ? declaration : fallback;
}

/** node_modules/@types of the directory and its ancestors (the kernel may be installed nested). */
function ancestorsTypeRoots(dir: string): string[] {
  const roots: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    roots.push(path.join(d, 'node_modules', '@types'));
    if (path.dirname(d) === d) return roots;
  }
}
