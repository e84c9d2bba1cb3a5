// The kinds of signing key an identity can be created with, in the order the form offers them.

import type { KeyKind } from '../lib/bindings';

export const KEY_KINDS: { kind: KeyKind; label: string; note: string }[] = [
  { kind: 'p256', label: 'ECDSA P-256', note: 'Recommended: small and fast.' },
  { kind: 'rsa2048', label: 'RSA 2048', note: 'Slower; for organisations that require RSA.' },
  { kind: 'rsa3072', label: 'RSA 3072', note: 'Slower; for organisations that require RSA.' },
  { kind: 'rsa4096', label: 'RSA 4096', note: 'Slowest; for organisations that require RSA.' },
];

export function keyKindLabel(kind: KeyKind): string {
  return KEY_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}
