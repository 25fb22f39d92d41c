/** Names of query (or fragment) parameters whose values are secrets: `p` is InfluxDB 1.x's password. */
const SECRET_NAME = /pass|pwd|token|secret|key|auth|sig|cred|session|^p$/i;

function redactParameters(parameters: string): string {
  return parameters
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      return equals !== -1 && SECRET_NAME.test(parameter.slice(0, equals)) ? `${parameter.slice(0, equals + 1)}***` : parameter;
    })
    .join('&');
}

/**
 * `text` (a URL, or what was given as one) fit to print: its userinfo (`user:password@`) and the
 * values of secret-looking query and fragment parameters (`p`, `password`, `token`, `api_key`,
 * `sig`…) become `***`; the rest is left as written. Linear, and it needs no valid URL.
 */
export function redactUrl(text: string): string {
  const hash = text.indexOf('#');
  const beforeHash = hash === -1 ? text : text.slice(0, hash);
  const fragment = hash === -1 ? undefined : text.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  let base = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? undefined : beforeHash.slice(question + 1);
  const slashes = base.indexOf('//');
  if (slashes !== -1) {
    const path = base.indexOf('/', slashes + 2);
    const at = base.lastIndexOf('@', path === -1 ? base.length : path);
    if (at > slashes) base = `${base.slice(0, slashes + 2)}***${base.slice(at)}`;
  }
  return `${base}${query === undefined ? '' : `?${redactParameters(query)}`}${fragment === undefined ? '' : `#${redactParameters(fragment)}`}`;
}
