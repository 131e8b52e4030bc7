// Maps Jupyter requests onto Executor calls and their results onto replies and iopub messages.
// Knows nothing of sockets (kernel/protocol/server.ts does), so it is tested with a fake
// executor. Cursor positions in the protocol count Unicode code points; JS strings count UTF-16
// units, so every cursor is converted both ways.

import type { BackendDescription, Executor, ExecuteHooks, MimeBundle } from './exec/executorApi';
import type { History } from './protocol/history';
import {
  MSG,
  PROTOCOL_VERSION,
  type ExecuteRequest,
  type HistoryRequest,
  type KernelInfoReply,
  type LanguageInfo,
} from './protocol/messages';
import type { HandlerResult, KernelHandler, RequestContext } from './protocol/server';
import { REPLY_ENVIRONMENT_KEY } from './protocol/runRecord';

/** Where the handler gets its executor: created on first use, replaced on restart. */
export interface ExecutorSource {
  get(): Promise<Executor>;
  /** The executor if it was already created (never starts loading one). */
  current(): Executor | undefined;
  /** Closes the current executor; the next get() creates a fresh one. */
  reset(): Promise<void>;
}

export interface HandlerOptions {
  executors: ExecutorSource;
  history: History;
  implementationVersion: string;
  /** shutdown_request with restart=true resets the executor and keeps the process (else the process exits). */
  inProcessRestart: boolean;
  /** Called after the shutdown_reply was sent (and not an in-process restart): close and exit. */
  exit: () => Promise<void> | void;
  /** Called after the first kernel_info_reply: a good moment to load the executor in the background. */
  onFirstKernelInfo?: () => void;
}

export const IMPLEMENTATION = 'convkan';
export const DEFAULT_BANNER = 'ConvKAN Notebook kernel: TypeScript cells with TensorFlow.js (loading…)';

export const LANGUAGE_INFO: LanguageInfo = {
  name: 'typescript',
  version: require('typescript/package.json').version as string,
  mimetype: 'text/typescript',
  file_extension: '.ts',
  codemirror_mode: { name: 'javascript', typescript: true },
  pygments_lexer: 'typescript',
};

/** execute_reply metadata as ipykernel writes it (status, started) plus the run environment. */
async function replyMetadata(executor: Executor, status: 'ok' | 'error', started: string): Promise<Record<string, unknown>> {
  const environment = await executor.environment?.().catch(() => undefined);
  return environment ? { status, started, [REPLY_ENVIRONMENT_KEY]: environment } : { status, started };
}

/** A cell that is only a (dotted) name followed by ? or ??: a help query, not code. */
const HELP_QUERY = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\?{1,2})\s*$/;

export class JupyterHandler implements KernelHandler {
  private executionCount = 0;
  /** The executor's banner and backend, once it has them; kernel_info answers without waiting. */
  private described?: { banner: string; backend?: BackendDescription };
  private describeRequested = false;
  private kernelInfoAnswered = false;

  constructor(private readonly options: HandlerOptions) {}

  async handle(ctx: RequestContext): Promise<HandlerResult | undefined> {
    const content = ctx.request.content;
    switch (ctx.request.header.msg_type) {
      case MSG.kernelInfoRequest:
        return this.kernelInfo();
      case MSG.executeRequest:
        return this.execute(ctx, content as Partial<ExecuteRequest>);
      case MSG.completeRequest:
        return this.complete(String(content.code ?? ''), content.cursor_pos as number | undefined);
      case MSG.inspectRequest:
        return this.inspect(String(content.code ?? ''), content.cursor_pos as number | undefined, Number(content.detail_level ?? 0));
      case MSG.isCompleteRequest:
        return this.isComplete(String(content.code ?? ''));
      case MSG.historyRequest:
        return { content: this.options.history.reply(content as Partial<HistoryRequest>) };
      case MSG.commInfoRequest:
        // No comm targets are registered, so there are no open comms to list.
        return { content: { status: 'ok', comms: {} } };
      case MSG.commOpen:
        // Unknown target: tell the frontend the comm is closed, as ipykernel does.
        ctx.publish(MSG.commClose, { comm_id: content.comm_id, data: {} });
        return undefined;
      case MSG.commMsg:
      case MSG.commClose:
        return undefined;
      case MSG.interruptRequest:
        this.options.executors.current()?.interrupt();
        return { content: { status: 'ok' } };
      case MSG.shutdownRequest:
        return this.shutdown(content.restart === true);
      default:
        return undefined;
    }
  }

  private kernelInfo(): HandlerResult {
    this.fetchDescription();
    const backend = this.described?.backend;
    const content: KernelInfoReply = {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: IMPLEMENTATION,
      implementation_version: this.options.implementationVersion,
      language_info: LANGUAGE_INFO,
      banner: this.described?.banner ?? DEFAULT_BANNER,
      ...(backend && { convkan: { backend: backend.name, label: backend.label, reason: backend.reason } }),
      help_links: [
        { text: 'TensorFlow.js API', url: 'https://js.tensorflow.org/api/latest/' },
        { text: 'TypeScript handbook', url: 'https://www.typescriptlang.org/docs/handbook/' },
      ],
      debugger: false,
    };
    const first = !this.kernelInfoAnswered;
    this.kernelInfoAnswered = true;
    return { content, after: first ? this.options.onFirstKernelInfo : undefined };
  }

  /** Asks the executor for its banner and backend once it exists; kernel_info never waits for them. */
  private fetchDescription(): void {
    const executor = this.options.executors.current();
    if (!executor || this.describeRequested) return;
    this.describeRequested = true;
    Promise.all([executor.banner(), executor.backend()]).then(
      ([banner, backend]) => (this.described = { banner, backend }),
      () => (this.describeRequested = false),
    );
  }

  private async execute(ctx: RequestContext, request: Partial<ExecuteRequest>): Promise<HandlerResult> {
    const code = String(request.code ?? '');
    const started = new Date().toISOString();
    const expressions: unknown = request.user_expressions ?? {};
    if (typeof expressions !== 'object' || expressions === null || Array.isArray(expressions)) {
      // Refused before anything runs: a string would otherwise be evaluated character by character.
      const got = Array.isArray(expressions) ? 'an array' : expressions === null ? 'null' : `a ${typeof expressions}`;
      const error = {
        ename: 'ValueError',
        evalue: `Error in execute_request: user_expressions must be an object of name → expression, but got ${got}`,
        traceback: [] as string[],
      };
      ctx.publish(MSG.error, error);
      return { content: { status: 'error', execution_count: this.executionCount, ...error }, metadata: { status: 'error' } };
    }
    const silent = request.silent === true;
    const storeHistory = !silent && request.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) ctx.publish(MSG.executeInput, { code, execution_count: count });

    const executor = await this.options.executors.get();
    this.fetchDescription();
    const help = HELP_QUERY.exec(code);
    if (help) return this.pageHelp(ctx, executor, code, help[1], help[2].length - 1, count, storeHistory);
    const outcome = await executor.execute(code, this.hooks(ctx), { executionCount: count, silent });
    if (outcome.status === 'error') {
      const error = { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
      ctx.publish(MSG.error, error);
      if (storeHistory) this.options.history.add(count, code);
      return { content: { status: 'error', execution_count: count, ...error }, metadata: await replyMetadata(executor, 'error', started) };
    }
    if (outcome.result && !silent) {
      ctx.publish(MSG.executeResult, { execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata });
    }
    if (storeHistory) {
      const text = outcome.result?.data['text/plain'];
      this.options.history.add(count, code, typeof text === 'string' ? text : null);
    }
    const userExpressions = await this.userExpressions(executor, expressions as Record<string, unknown>);
    return {
      content: { status: 'ok', execution_count: count, payload: [], user_expressions: userExpressions },
      metadata: await replyMetadata(executor, 'ok', started),
    };
  }

  /** `name?` / `name??` (IPython's habit): the inspect text of name, shown in the frontend's pager. */
  private async pageHelp(
    ctx: RequestContext,
    executor: Executor,
    code: string,
    name: string,
    detailLevel: number,
    count: number,
    storeHistory: boolean,
  ): Promise<HandlerResult> {
    if (storeHistory) this.options.history.add(count, code);
    const r = await executor.inspect(name, name.length, detailLevel);
    const payload = r.found && r.data['text/plain'] !== undefined ? [{ source: 'page', data: r.data, start: 0 }] : [];
    if (payload.length === 0) ctx.publish(MSG.stream, { name: 'stderr', text: `Object \`${name}\` not found.\n` });
    return { content: { status: 'ok', execution_count: count, payload, user_expressions: {} }, metadata: { status: 'ok' } };
  }

  private hooks(ctx: RequestContext): ExecuteHooks {
    return {
      stdout: (text) => ctx.publish(MSG.stream, { name: 'stdout', text }),
      stderr: (text) => ctx.publish(MSG.stream, { name: 'stderr', text }),
      display: (bundle, { displayId, update }) => {
        if (update && !displayId) throw new Error('Error in display: an update needs a displayId, but got none');
        const content = { data: bundle.data, metadata: bundle.metadata, transient: displayId ? { display_id: displayId } : {} };
        ctx.publish(update ? MSG.updateDisplayData : MSG.displayData, content);
      },
      clearOutput: (wait) => ctx.publish(MSG.clearOutput, { wait }),
      input: (prompt, password) => ctx.input(prompt, password),
    };
  }

  /** Evaluates each user expression silently; its result or error goes into the reply (Jupyter spec). */
  private async userExpressions(executor: Executor, expressions: Record<string, unknown>): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    const quiet: ExecuteHooks = {
      stdout: () => undefined,
      stderr: () => undefined,
      display: () => undefined,
      clearOutput: () => undefined,
      input: () => Promise.reject(new Error('input() is not available in user_expressions')),
    };
    for (const [name, expression] of Object.entries(expressions)) {
      if (typeof expression !== 'string') {
        const evalue =
          `Error in user_expressions: expression "${name}" must be a string, ` +
          `but got ${expression === null ? 'null' : typeof expression}`;
        results[name] = { status: 'error', ename: 'ValueError', evalue, traceback: [] };
        continue;
      }
      const outcome = await executor.execute(expression, quiet, { silent: true });
      const empty: MimeBundle = { data: { 'text/plain': 'undefined' }, metadata: {} };
      results[name] =
        outcome.status === 'ok'
          ? { status: 'ok', ...(outcome.result ?? empty) }
          : { status: 'error', ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
    }
    return results;
  }

  private async complete(code: string, cursorPos: number | undefined): Promise<HandlerResult> {
    const executor = await this.options.executors.get();
    const cursor = codePointToUtf16(code, cursorPos ?? codePointLength(code));
    const r = await executor.complete(code, cursor);
    return {
      content: {
        status: 'ok',
        matches: r.matches,
        cursor_start: utf16ToCodePoint(code, r.cursorStart),
        cursor_end: utf16ToCodePoint(code, r.cursorEnd),
        metadata: r.metadata ?? {},
      },
    };
  }

  private async inspect(code: string, cursorPos: number | undefined, detailLevel: number): Promise<HandlerResult> {
    const executor = await this.options.executors.get();
    const cursor = codePointToUtf16(code, cursorPos ?? codePointLength(code));
    const r = await executor.inspect(code, cursor, detailLevel);
    return { content: { status: 'ok', found: r.found, data: r.found ? r.data : {}, metadata: {} } };
  }

  private async isComplete(code: string): Promise<HandlerResult> {
    const executor = await this.options.executors.get();
    const r = executor.isComplete(code);
    return { content: r.status === 'incomplete' ? { status: r.status, indent: r.indent ?? '' } : { status: r.status } };
  }

  private async shutdown(restart: boolean): Promise<HandlerResult> {
    const content = { status: 'ok', restart };
    if (restart && this.options.inProcessRestart) {
      await this.options.executors.reset();
      this.executionCount = 0;
      this.described = undefined;
      this.describeRequested = false;
      return { content };
    }
    return { content, after: () => this.options.exit() };
  }
}

function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** UTF-16 index of the code point at position `points` (clamped to the text). */
export function codePointToUtf16(text: string, points: number): number {
  let index = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= points) break;
    index += ch.length;
    seen++;
  }
  return index;
}

export function utf16ToCodePoint(text: string, index: number): number {
  return codePointLength(text.slice(0, Math.max(0, Math.min(index, text.length))));
}
