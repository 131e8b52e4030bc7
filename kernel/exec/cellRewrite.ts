// The TypeScript transformer that turns a cell into the body of an async function whose top-level
// declarations live on the global object, so that they persist across cells and may be declared
// again by re-running a cell:
//   const a = 1, { b } = o   →  a = 1; ({ b } = o);
//   function f() {}           →  f = function () {};        (moved to the top: declarations hoist)
//   class C {}                →  C = class C {};
//   enum E {} / namespace N   →  kept, then __cell.def("E", E)
//   import x, { y } from 'm'  →  ({ default: x, y } = await __cell.import("m"));
//   import('m')               →  __cell.import("m")
//   await p                   →  await __cell.awaited(p)      (an interrupt rejects it)
//   last expression e         →  return e;                    (the cell's result)
// The cell body becomes a generator whose top-level awaits are `(yield __cell.awaited(p))`: the
// executor resumes it step by step, each step under vm's breakOnSigint, so a synchronous loop after
// an await can still be stopped by SIGINT. A top-level `for await` keeps the body an async function.
// It runs before TypeScript's own type-stripping transformer, so type syntax left in place is erased
// afterwards. The names it assigns are reported so the executor can create them on the global object.

import ts from 'typescript';

/** The identifier through which rewritten code reaches the executor (a parameter of the cell function). */
export const CELL_RUNTIME = '__cell';

export interface RewriteInfo {
  /** Names the cell assigns at top level (variables, functions, classes, imports, enums, namespaces). */
  declared: Set<string>;
  /** Whether the cell's last statement is an expression whose value is returned. */
  hasResult: boolean;
  /** The body is a generator (top-level await → yield) rather than an async function. */
  generator: boolean;
}

const f = ts.factory;

function runtimeCall(method: string, args: ts.Expression[]): ts.CallExpression {
  return f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(CELL_RUNTIME), method), undefined, args);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Declarations that produce no JavaScript. */
function isTypeOnlyStatement(s: ts.Statement): boolean {
  return (
    ts.isInterfaceDeclaration(s) ||
    ts.isTypeAliasDeclaration(s) ||
    ts.isEmptyStatement(s) ||
    hasModifier(s, ts.SyntaxKind.DeclareKeyword) ||
    (ts.isImportDeclaration(s) && !!s.importClause?.isTypeOnly) ||
    (ts.isExportDeclaration(s) && s.isTypeOnly) ||
    (ts.isFunctionDeclaration(s) && !s.body)
  );
}

function collectBindingNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) {
    out.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) collectBindingNames(element.name, out);
  }
}

/** `{ a, b: [c] = d, ...e }` (a binding pattern) → the same shape as an assignment target. */
function bindingToAssignmentTarget(name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return f.createIdentifier(name.text);
  if (ts.isObjectBindingPattern(name)) {
    return f.createObjectLiteralExpression(
      name.elements.map((el): ts.ObjectLiteralElementLike => {
        const target = bindingToAssignmentTarget(el.name);
        if (el.dotDotDotToken) return f.createSpreadAssignment(target);
        if (!el.propertyName && ts.isIdentifier(el.name)) {
          return f.createShorthandPropertyAssignment(el.name.text, el.initializer);
        }
        const value = el.initializer ? f.createAssignment(target, el.initializer) : target;
        return f.createPropertyAssignment(el.propertyName ?? (el.name as ts.Identifier).text, value);
      }),
    );
  }
  return f.createArrayLiteralExpression(
    name.elements.map((el) => {
      if (ts.isOmittedExpression(el)) return el;
      const target = bindingToAssignmentTarget(el.name);
      if (el.dotDotDotToken) return f.createSpreadElement(target);
      return el.initializer ? f.createAssignment(target, el.initializer) : target;
    }),
  );
}

function statementFrom(expr: ts.Expression, original: ts.Node): ts.Statement {
  const stmt = f.createExpressionStatement(ts.isObjectLiteralExpression(expr) ? f.createParenthesizedExpression(expr) : expr);
  ts.setTextRange(stmt, original);
  ts.setSourceMapRange(stmt, original);
  return stmt;
}

function rewriteVariableStatement(s: ts.VariableStatement, info: RewriteInfo): ts.Statement[] {
  const isVar = (s.declarationList.flags & ts.NodeFlags.BlockScoped) === 0;
  const out: ts.Statement[] = [];
  for (const decl of s.declarationList.declarations) {
    collectBindingNames(decl.name, info.declared);
    if (decl.initializer) {
      out.push(statementFrom(f.createAssignment(bindingToAssignmentTarget(decl.name), decl.initializer), decl));
    } else if (!isVar && ts.isIdentifier(decl.name)) {
      // `let x;` starts over as undefined; `var x;` keeps the value, as re-running a script would.
      out.push(statementFrom(f.createAssignment(f.createIdentifier(decl.name.text), f.createIdentifier('undefined')), decl));
    }
  }
  return out;
}

/** `await e` at the cell's top level: a yield to the executor in generator mode. */
function topLevelAwait(expr: ts.Expression, info: RewriteInfo): ts.Expression {
  return info.generator ? f.createParenthesizedExpression(f.createYieldExpression(undefined, expr)) : f.createAwaitExpression(expr);
}

function rewriteImport(s: ts.ImportDeclaration, info: RewriteInfo): ts.Statement[] {
  const spec = (s.moduleSpecifier as ts.StringLiteral).text;
  const load = topLevelAwait(runtimeCall('import', [f.createStringLiteral(spec)]), info);
  const clause = s.importClause;
  if (!clause) return [statementFrom(load, s)];
  const out: ts.Statement[] = [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    info.declared.add(bindings.name.text);
    out.push(statementFrom(f.createAssignment(f.createIdentifier(bindings.name.text), load), s));
    if (clause.name) {
      info.declared.add(clause.name.text);
      out.push(
        statementFrom(
          f.createAssignment(
            f.createIdentifier(clause.name.text),
            f.createPropertyAccessExpression(f.createIdentifier(bindings.name.text), 'default'),
          ),
          s,
        ),
      );
    }
    return out;
  }
  const props: ts.ObjectLiteralElementLike[] = [];
  if (clause.name) {
    info.declared.add(clause.name.text);
    props.push(f.createPropertyAssignment('default', f.createIdentifier(clause.name.text)));
  }
  if (bindings && ts.isNamedImports(bindings)) {
    for (const el of bindings.elements) {
      if (el.isTypeOnly) continue;
      info.declared.add(el.name.text);
      const imported = el.propertyName ?? el.name;
      props.push(
        ts.isIdentifier(imported) && imported.text === el.name.text
          ? f.createShorthandPropertyAssignment(el.name.text)
          : f.createPropertyAssignment(
              ts.isIdentifier(imported) ? imported.text : f.createStringLiteral(imported.text),
              f.createIdentifier(el.name.text),
            ),
      );
    }
  }
  // With nothing left to bind (only type imports), still load the module for its side effects.
  out.push(statementFrom(props.length ? f.createAssignment(f.createObjectLiteralExpression(props), load) : load, s));
  return out;
}

function functionToAssignment(s: ts.FunctionDeclaration, name: string): ts.Statement {
  const fn = f.createFunctionExpression(
    (ts.getModifiers(s) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword) as ts.Modifier[],
    s.asteriskToken,
    undefined,
    s.typeParameters,
    s.parameters,
    s.type,
    s.body!,
  );
  ts.setTextRange(fn, s);
  return statementFrom(f.createAssignment(f.createIdentifier(name), fn), s);
}

function classToExpression(s: ts.ClassDeclaration): ts.ClassExpression {
  const cls = f.createClassExpression(
    (ts.getModifiers(s) ?? []).filter((m) => ts.isDecorator(m) || m.kind === ts.SyntaxKind.AbstractKeyword) as ts.ModifierLike[],
    s.name,
    s.typeParameters,
    s.heritageClauses,
    s.members,
  );
  ts.setTextRange(cls, s);
  return cls;
}

/** `await p` → `await __cell.awaited(p)` (at top level: a yield), `import(s)` → `__cell.import(s)`. */
function rewriteExpressions(context: ts.TransformationContext, info: RewriteInfo) {
  const visit = (inFunction: boolean) => {
    const visitor = (node: ts.Node): ts.Node => {
      if (ts.isFunctionLike(node) && !inFunction) return ts.visitEachChild(node, visit(true), context);
      if (ts.isAwaitExpression(node)) {
        const inner = runtimeCall('awaited', [ts.visitNode(node.expression, visitor) as ts.Expression]);
        if (inFunction || !info.generator) return f.updateAwaitExpression(node, inner);
        const y = topLevelAwait(inner, info);
        ts.setTextRange(y, node);
        return y;
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const args = node.arguments.map((a) => ts.visitNode(a, visitor) as ts.Expression);
        const call = runtimeCall('import', args.slice(0, 1));
        ts.setTextRange(call, node);
        return call;
      }
      return ts.visitEachChild(node, visitor, context);
    };
    return visitor;
  };
  return visit(false);
}

/** A top-level `for await` needs a real async function (a generator cannot yield inside it for us). */
function hasTopLevelForAwait(node: ts.Node): boolean {
  if (ts.isFunctionLike(node)) return false;
  if (ts.isForOfStatement(node) && node.awaitModifier) return true;
  return ts.forEachChild(node, hasTopLevelForAwait) ?? false;
}

function rewriteTopLevel(sf: ts.SourceFile, info: RewriteInfo): ts.Statement[] {
  const hoisted: ts.Statement[] = [];
  const body: ts.Statement[] = [];
  const valueStatements = sf.statements.filter((s) => !isTypeOnlyStatement(s));
  const last = valueStatements[valueStatements.length - 1];

  for (const s of sf.statements) {
    if (isTypeOnlyStatement(s)) {
      // Interfaces, type aliases and `declare` forms only matter to the type checker.
      continue;
    }
    if (ts.isVariableStatement(s)) {
      body.push(...rewriteVariableStatement(s, info));
    } else if (ts.isFunctionDeclaration(s)) {
      if (s.name) {
        info.declared.add(s.name.text);
        hoisted.push(functionToAssignment(s, s.name.text));
      } else {
        // `export default function () {}`: an anonymous function is just a value.
        const fn = f.createFunctionExpression(undefined, s.asteriskToken, undefined, s.typeParameters, s.parameters, s.type, s.body!);
        body.push(s === last ? f.createReturnStatement(fn) : statementFrom(fn, s));
      }
    } else if (ts.isClassDeclaration(s)) {
      if (s.name) {
        info.declared.add(s.name.text);
        body.push(statementFrom(f.createAssignment(f.createIdentifier(s.name.text), classToExpression(s)), s));
      } else if (s === last) {
        body.push(f.createReturnStatement(classToExpression(s)));
      } else {
        body.push(statementFrom(classToExpression(s), s));
      }
    } else if (ts.isImportDeclaration(s)) {
      body.push(...rewriteImport(s, info));
    } else if (ts.isImportEqualsDeclaration(s)) {
      if (s.isTypeOnly) continue;
      info.declared.add(s.name.text);
      const ref = s.moduleReference;
      const value = ts.isExternalModuleReference(ref) ? runtimeCall('require', [ref.expression]) : (ref as ts.Expression);
      body.push(statementFrom(f.createAssignment(f.createIdentifier(s.name.text), value), s));
    } else if (ts.isEnumDeclaration(s) || (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name))) {
      // TypeScript emits these as `var E; (function (E) {...})(E || (E = {}))`; publish the result.
      const name = (s.name as ts.Identifier).text;
      info.declared.add(name);
      const modifiers = (ts.getModifiers(s) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword);
      const kept = ts.isEnumDeclaration(s)
        ? f.updateEnumDeclaration(s, modifiers, s.name, s.members)
        : f.updateModuleDeclaration(s, modifiers, s.name, s.body);
      body.push(kept);
      body.push(statementFrom(runtimeCall('def', [f.createStringLiteral(name), f.createIdentifier(name)]), s));
    } else if (ts.isExportAssignment(s)) {
      // `export default e` / `export = e`: the value is what matters in a notebook.
      body.push(s === last ? f.createReturnStatement(s.expression) : statementFrom(s.expression, s));
      if (s === last) info.hasResult = true;
    } else if (ts.isExportDeclaration(s)) {
      // `export { a }` re-exports nothing in a notebook; `export * from 'm'` still loads m.
      if (s.moduleSpecifier) body.push(statementFrom(topLevelAwait(runtimeCall('import', [s.moduleSpecifier]), info), s));
    } else if (ts.isExpressionStatement(s) && s === last) {
      info.hasResult = true;
      const ret = f.createReturnStatement(s.expression);
      ts.setTextRange(ret, s);
      body.push(ret);
    } else {
      body.push(s);
    }
  }
  return [...hoisted, ...body];
}

export function cellRewriteTransformer(info: RewriteInfo): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sf) => {
    info.generator = !hasTopLevelForAwait(sf);
    const withExpressions = ts.visitNode(sf, rewriteExpressions(context, info)) as ts.SourceFile;
    return f.updateSourceFile(withExpressions, rewriteTopLevel(withExpressions, info));
  };
}
