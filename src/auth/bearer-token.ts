// The `Authorization: Bearer <token>` header, read as kube-apiserver's bearer-token authenticator reads it.

/**
 * The token of an Authorization header, or undefined when it carries none: the header is trimmed, split on
 * single spaces into at most three parts, the scheme compared case-insensitively with `Bearer`, and the second
 * part taken as the token (anything after a further space is ignored). An empty token is no token:
 * `Bearer  abc` (two spaces) carries none.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = header?.trim();
  if (!auth) return undefined;
  const first = auth.indexOf(' ');
  if (first < 0 || auth.slice(0, first).toLowerCase() !== 'bearer') return undefined;
  const rest = auth.slice(first + 1);
  const second = rest.indexOf(' ');
  const token = second < 0 ? rest : rest.slice(0, second);
  return token === '' ? undefined : token;
}
