// Messages between the executor and its language-service worker (languageWorker.ts).

export type LanguageRequest =
  | { id: number; method: 'check'; code: string }
  | { id: number; method: 'commit'; code: string }
  | { id: number; method: 'complete'; code: string; cursorPos: number }
  | { id: number; method: 'inspect'; code: string; cursorPos: number; detailLevel: number };

export type LanguageResponse = { id: number; result: unknown; error?: undefined } | { id: number; error: string; result?: undefined };

/** A request without its id, as callers write it. */
export type LanguageCall = LanguageRequest extends infer R ? (R extends LanguageRequest ? Omit<R, 'id'> : never) : never;
