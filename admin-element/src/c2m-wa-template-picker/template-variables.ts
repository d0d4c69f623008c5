/** The body with each `{{n}}` replaced by its value; a variable without a value stays as it is. */
export function fillVariables(body: string, values: Readonly<Record<number, string>>): string {
  return body.replace(/\{\{\s*(\d{1,2})\s*\}\}/g, (whole, n: string) => values[Number(n)] || whole);
}

/**
 * The values a filled message gave each variable of `body`, when the message was made from that
 * body (editing a saved handoff); an empty object when it was not.
 */
export function extractVariables(body: string, message: string): Record<number, string> {
  const order: number[] = [];
  const pattern = body
    .split(/(\{\{\s*\d{1,2}\s*\}\})/)
    .map((part) => {
      const variable = /^\{\{\s*(\d{1,2})\s*\}\}$/.exec(part);
      if (!variable) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      order.push(Number(variable[1]));
      return '([\\s\\S]*?)';
    })
    .join('');
  const match = new RegExp(`^${pattern}$`).exec(message);
  if (!match) return {};
  const values: Record<number, string> = {};
  order.forEach((n, i) => {
    const value = match[i + 1] ?? '';
    if (!/^\{\{\s*\d{1,2}\s*\}\}$/.test(value)) values[n] ??= value;
  });
  return values;
}
