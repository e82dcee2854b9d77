/**
 * A value as it reads in a parse error's message, cut short: hostile text can be megabytes, and a
 * value nested too deep to print (JSON.stringify and String both recurse) is named by its shape.
 */
export function shown(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'number') return String(value); // JSON would print Infinity as null
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '(a list nested too deep to show)' : `(${typeof value} that cannot be shown)`;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
