import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiMedia,
  OpenApiOperation,
  OpenApiParameter,
} from './document.js';

/**
 * The API reference as one HTML page, rendered on the server from the same document
 * `/openapi.json` serves: no script, no CDN (c2m runs offline), readable with styles off.
 */
export function renderReferencePage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const sections = doc.tags
    .map((tag) => ({ tag, ops: operations.filter(({ op }) => op.tags.includes(tag.name)) }))
    .filter(({ ops }) => ops.length > 0);
  const render = new Renderer(doc);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} API reference</title>
<style>${STYLES}</style>
</head>
<body>
<header>
<h1>${esc(doc.info.title)} API reference <small>${esc(doc.info.version)}</small></h1>
<p>${code(doc.info.description)}</p>
<p>The same description as OpenAPI 3.1: <a href="/openapi.json">/openapi.json</a>.
Authentication: <a href="#authentication">below</a>.</p>
</header>
<nav aria-label="Operations"><ul>
${sections
  .map(
    ({ tag, ops }) =>
      `<li><a href="#${slug(tag.name)}">${esc(tag.name)}</a><ul>${ops
        .map(
          ({ path, method, op }) =>
            `<li><a href="#${op.operationId}" title="${esc(path)}"><span class="method ${method}">${method.toUpperCase()}</span> ${esc(op.summary)}</a></li>`,
        )
        .join('')}</ul></li>`,
  )
  .join('\n')}
<li><a href="#${slug('Events c2m sends')}">Events c2m sends</a></li>
<li><a href="#authentication">Authentication</a></li>
<li><a href="#schemas">Schemas</a></li>
</ul></nav>
<main>
${sections
  .map(
    ({ tag, ops }) => `<section id="${slug(tag.name)}">
<h2>${esc(tag.name)}</h2>
<p>${esc(tag.description)}</p>
${ops.map(({ path, method, op }) => render.operation(path, method, op)).join('\n')}
</section>`,
  )
  .join('\n')}
<section id="${slug('Events c2m sends')}">
<h2>Events c2m sends</h2>
<p>Requests c2m makes to the URLs a brand subscribes (OpenAPI <code>webhooks</code>).</p>
${Object.entries(doc.webhooks)
  .map(([name, { post }]) => render.operation(name, 'post', post, { outgoing: true }))
  .join('\n')}
</section>
<section id="authentication">
<h2>Authentication</h2>
<dl>${Object.entries(doc.components.securitySchemes)
    .map(
      ([name, scheme]) =>
        `<dt>${esc(name)}</dt><dd>${code((scheme as { description?: string }).description ?? '')}</dd>`,
    )
    .join('')}</dl>
</section>
<section id="schemas">
<h2>Schemas</h2>
${Object.entries(doc.components.schemas)
  .map(
    ([name, schema]) =>
      `<details id="schema-${name}"><summary><code>${esc(name)}</code></summary>${json(schema)}</details>`,
  )
  .join('\n')}
</section>
</main>
</body>
</html>
`;
}

class Renderer {
  constructor(private readonly doc: OpenApiDocument) {}

  /** One operation; an outgoing one (c2m calls the brand) has the brand's URL and no curl. */
  operation(path: string, method: string, op: OpenApiOperation, opts = { outgoing: false }) {
    const body = op.requestBody && Object.entries(op.requestBody.content)[0];
    const where = opts.outgoing ? `your URL (${path})` : path;
    return `<article id="${op.operationId}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(where)}</code></h3>
<p class="summary">${esc(op.summary)}</p>
${op.description ? `<p>${code(op.description)}</p>` : ''}
${opts.outgoing ? '' : `<p><strong>Auth:</strong> ${esc(authText(op.security))}</p>`}
${op.parameters ? this.parameters(op.parameters) : ''}
${body ? `<h4>Request body <code>${esc(body[0])}</code></h4>${this.media(body[1])}` : ''}
<h4>Responses</h4>
<table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>
${Object.entries(op.responses)
  .map(
    ([status, r]) =>
      `<tr><td>${status}</td><td>${code(r.description)}</td><td>${Object.values(r.content ?? {})
        .map((m) => (m.schema ? this.schemaDetails(m.schema) : ''))
        .join('')}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
${opts.outgoing ? '' : `<h4>Example</h4>\n<pre><code>${esc(this.curl(path, method, op))}</code></pre>`}
</article>`;
  }

  private parameters(parameters: OpenApiParameter[]): string {
    return `<h4>Parameters</h4>
<table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>About</th></tr></thead><tbody>
${parameters
  .map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${esc(this.typeOf(p.schema))}</td><td>${p.required ? 'yes' : ''}</td><td>${esc([p.description, rules(p.schema)].filter(Boolean).join('; '))}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  }

  /** A table of the top-level fields, then the whole JSON Schema for the rest. */
  private media(media: OpenApiMedia): string {
    if (!media.schema) return '';
    const schema = this.resolve(media.schema);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = (schema.required ?? []) as string[];
    const rows = Object.entries(properties).map(
      ([name, s]) =>
        `<tr><td><code>${esc(name)}</code></td><td>${esc(this.typeOf(s))}</td><td>${required.includes(name) ? 'yes' : ''}</td><td>${esc([s.description, rules(s)].filter(Boolean).join('; '))}</td></tr>`,
    );
    const table = rows.length
      ? `<table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>About</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
      : '';
    return `${table}${this.schemaDetails(media.schema)}`;
  }

  /** A named schema links to the Schemas section, which shows each once; others show here. */
  private schemaDetails(schema: JsonSchema): string {
    const name = refName(schema);
    if (name) return `<a href="#schema-${name}"><code>${esc(name)}</code></a>`;
    return `<details><summary>${esc(this.typeOf(schema))} (JSON Schema)</summary>${json(schema)}</details>`;
  }

  private resolve(schema: JsonSchema): JsonSchema {
    const name = refName(schema);
    return name ? (this.doc.components.schemas[name] ?? {}) : schema;
  }

  private typeOf(schema: JsonSchema): string {
    const ref = refName(schema);
    if (ref) return ref;
    if ('const' in schema) return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
    if (union) return union.map((s) => this.typeOf(s)).join(' or ');
    if (schema.type === 'array') return `${this.typeOf((schema.items ?? {}) as JsonSchema)}[]`;
    if (Array.isArray(schema.type)) return schema.type.join(' or ');
    return typeof schema.type === 'string' ? schema.type : 'any';
  }

  /** A curl for the operation: the example body, or one made of the schema's required fields. */
  private curl(path: string, method: string, op: OpenApiOperation): string {
    const server = this.doc.servers[0]?.url.replace(/\/$/, '') ?? '';
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => `$${envName(name)}`);
    const query = (op.parameters ?? [])
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => `${p.name}=${String(this.sample(p.schema))}`);
    const lines = [
      `curl -X ${method.toUpperCase()} "${server}${url}${query.length ? `?${query.join('&')}` : ''}"`,
    ];
    const schemes = op.security.flatMap((r) => Object.keys(r));
    if (schemes.includes('clientBasic')) lines.push('-u "$CLIENT_ID:$CLIENT_SECRET"');
    else if (schemes.includes('adminSession')) lines.push('-H "Authorization: Bearer $SESSION"');
    else if (schemes.length) lines.push('-H "Authorization: Bearer $TOKEN"');
    const body = op.requestBody && Object.entries(op.requestBody.content)[0];
    if (body) {
      const [type, media] = body;
      const value = media.example ?? this.sample(media.schema ?? {});
      const text =
        type === 'application/json'
          ? JSON.stringify(value)
          : new URLSearchParams(value as Record<string, string>).toString();
      lines.push(`-H "Content-Type: ${type}"`, `-d '${text.replace(/'/g, `'\\''`)}'`);
    }
    return lines.join(' \\\n  ');
  }

  /** A value of the schema: its const, default or first choice; an object's required fields only. */
  private sample(schema: JsonSchema): unknown {
    const s = this.resolve(schema);
    if ('const' in s) return s.const;
    if ('default' in s) return s.default;
    if (Array.isArray(s.enum)) return s.enum[0];
    const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
    if (union?.[0]) return this.sample(union[0]);
    if (s.type === 'object') {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = (s.required ?? []) as string[];
      return Object.fromEntries(
        required.map((name) => [name, this.sample(properties[name] ?? {})]),
      );
    }
    if (s.type === 'array') return [];
    if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 0;
    if (s.type === 'boolean') return true;
    return '…';
  }
}

function authText(security: Record<string, string[]>[]): string {
  if (security.length === 0) return 'none';
  return security
    .filter((r) => Object.keys(r).length > 0)
    .map((r) =>
      Object.entries(r)
        .map(([scheme, scopes]) => {
          const what = AUTH_NAMES[scheme] ?? scheme;
          if (scopes.length === 0) return what;
          return scheme === 'adminSession'
            ? `${what} whose role may ${scopes.join(', ')}`
            : `${what} with permission ${scopes.join(' or ')}`;
        })
        .join(' and '),
    )
    .join(', or ');
}

const AUTH_NAMES: Record<string, string> = {
  oauth1: 'OAuth 1.0a signature',
  bearerToken: 'bearer token',
  adminSession: 'user session',
  clientBasic: 'client id and secret',
};

/** Length, range, pattern and default, as a person reads them. */
function rules(schema: JsonSchema): string {
  const out: string[] = [];
  const pair = (low: unknown, high: unknown, unit: string) => {
    const min = typeof low === 'number' ? low : undefined;
    const max = typeof high === 'number' ? high : undefined;
    if (min !== undefined && max !== undefined) out.push(`${min}–${max}${unit}`);
    else if (min !== undefined) out.push(`at least ${min}${unit}`);
    else if (max !== undefined) out.push(`at most ${max}${unit}`);
  };
  pair(schema.minLength, schema.maxLength, ' characters');
  pair(schema.minItems, schema.maxItems, ' items');
  const max = schema.maximum === Number.MAX_SAFE_INTEGER ? undefined : schema.maximum;
  pair(schema.minimum, max, '');
  if (typeof schema.format === 'string') out.push(schema.format);
  else if (typeof schema.pattern === 'string') out.push(`matches ${schema.pattern}`);
  if ('default' in schema) out.push(`default ${JSON.stringify(schema.default)}`);
  return out.join(', ');
}

const json = (schema: JsonSchema) =>
  `<pre><code>${esc(JSON.stringify(schema, null, 2))}</code></pre>`;

const refName = (schema: JsonSchema) =>
  typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;

/** `accountId` → `ACCOUNT_ID`, for the curl's shell variables. */
const envName = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

const slug = (text: string) => `tag-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

const esc = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Escaped, with Markdown's `code` spans kept as code. */
const code = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const STYLES = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2329; display: grid;
  grid-template-columns: minmax(14rem, 20rem) 1fr; }
header { grid-column: 1 / -1; padding: 1rem 2rem; background: #f4f6f8; border-bottom: 1px solid #d8dee4; }
nav { padding: 1rem; border-right: 1px solid #d8dee4; font-size: 13px; position: sticky; top: 0;
  max-height: 100vh; overflow-y: auto; box-sizing: border-box; align-self: start; }
nav li { margin: 2px 0; }
nav ul { list-style: none; padding-left: 0.5rem; margin: 0.25rem 0; }
nav > ul > li > a { font-weight: 600; }
nav a { text-decoration: none; color: inherit; }
main { padding: 0 2rem 4rem; min-width: 0; }
article { border-top: 1px solid #d8dee4; padding: 0.5rem 0 1rem; }
h3 { font-size: 1rem; }
.method { display: inline-block; min-width: 3.5em; font: bold 12px monospace; padding: 1px 4px;
  border-radius: 3px; color: #fff; background: #57606a; text-align: center; }
.get { background: #0969da; } .post { background: #1a7f37; } .put { background: #9a6700; }
.delete { background: #cf222e; } .patch { background: #8250df; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #d8dee4; padding: 2px 8px; text-align: left; vertical-align: top; }
pre { background: #f6f8fa; padding: 0.5rem; overflow-x: auto; font-size: 13px; }
details summary { cursor: pointer; }
@media (max-width: 48rem) { body { display: block; } nav { border: 0; } }
`;
