// Errors a view shows to the user instead of a plot. `kind` tells malformed data (a producer
// bug or a hand-written payload) from data that is valid but too large to draw in a webview.
export type PayloadErrorKind = 'malformed' | 'too-large' | 'render';

export class PayloadError extends Error {
  constructor(
    readonly kind: PayloadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

export function malformed(message: string): PayloadError {
  return new PayloadError('malformed', message);
}

export function tooLarge(what: string, actual: number, limit: number, hint: string): PayloadError {
  const fmt = (n: number) => n.toLocaleString('en-US');
  return new PayloadError('too-large', `${what} is ${fmt(actual)}; this view draws at most ${fmt(limit)}. ${hint}`);
}
