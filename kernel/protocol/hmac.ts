// HMAC signatures of Jupyter messages: HMAC over header, parent_header, metadata and content
// (the four JSON frames, in that order), hex-encoded. Verified in constant time
// (crypto.timingSafeEqual) so a forger learns nothing from response timing.
// An empty key means "no authentication": messages carry an empty signature (Jupyter spec).

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Signer {
  readonly enabled: boolean;
  sign(parts: readonly Buffer[]): string;
  verify(signature: string, parts: readonly Buffer[]): boolean;
}

const SCHEME_PREFIX = 'hmac-';

export function createSigner(key: string, signatureScheme = 'hmac-sha256'): Signer {
  if (!signatureScheme.startsWith(SCHEME_PREFIX)) {
    throw new Error(`Error in connection file: signature_scheme must start with "${SCHEME_PREFIX}", but got "${signatureScheme}"`);
  }
  const algorithm = signatureScheme.slice(SCHEME_PREFIX.length);
  const enabled = key.length > 0;
  // Fail early on an unknown digest (createHmac throws "Invalid digest").
  if (enabled) createHmac(algorithm, key);

  const sign = (parts: readonly Buffer[]): string => {
    if (!enabled) return '';
    const mac = createHmac(algorithm, key);
    for (const p of parts) mac.update(p);
    return mac.digest('hex');
  };

  return {
    enabled,
    sign,
    verify(signature, parts) {
      if (!enabled) return true;
      const expected = Buffer.from(sign(parts), 'latin1');
      const actual = Buffer.from(signature, 'latin1');
      // timingSafeEqual needs equal lengths; a length mismatch reveals only the (public) digest size.
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
