/**
 * Matches a URI against an RFC 6570 template, the way MCP resource templates use them:
 * `{var}` matches one path segment, `{+var}` / `{/var*}`-style expressions match the rest.
 * Returns undefined for an invalid template rather than throwing.
 */
export function compileUriTemplate(template: string): RegExp | undefined {
  let pattern = '^';
  let last = 0;
  const expression = /\{([+#./;?&]?)([^}]*)\}/g;
  for (let match = expression.exec(template); match; match = expression.exec(template)) {
    pattern += escapeRegExp(template.slice(last, match.index));
    const operator = match[1];
    if (match[2] === undefined || match[2] === '') return undefined;
    pattern +=
      operator === '+' || operator === '#' || match[2].endsWith('*') ? '(.*)' : '([^/?#]*)';
    last = match.index + match[0].length;
  }
  const rest = template.slice(last);
  if (rest.includes('{') || rest.includes('}')) return undefined;
  return new RegExp(`${pattern + escapeRegExp(rest)}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
