// Validates an AST (from the parser or from a JSON spec) against the published
// schema `schema/nn-spec.schema.json`, with ajv. Each schema error becomes a
// diagnostic located at the span of the innermost AST node that contains it.
import { Ajv, type ErrorObject } from 'ajv';
import schema from '../../schema/nn-spec.schema.json' with { type: 'json' };
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Span, Spec } from '../syntax/ast.js';

const MAX_REPORTED = 50;

const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true });
const validate = ajv.compile(schema);

export interface ValidateOptions {
  /** Where errors are shown that no node span locates (or all errors, with `nodeSpans: false`). */
  fallback?: Span | null;
  /** Locate errors by the spans stored in the nodes (true for parsed `.nn` text; false for hand-written JSON). */
  nodeSpans?: boolean;
  /** Locates an error by its JSON path instead (JSON specs: the position in the JSON text). */
  locate?: (instancePath: string) => Span;
}

/** The spec itself when it matches the schema, else null (with diagnostics). */
export function validateSpec(spec: unknown, sink: DiagnosticSink, options: ValidateOptions = {}): Spec | null {
  const fallback = options.fallback ?? null;
  if (validate(spec)) {
    const { $schema: _, ...rest } = spec as unknown as Spec & { $schema?: string };
    return rest as Spec;
  }
  const seen = new Set<string>();
  // `x | null` fields fail as "must be null" plus "must match anyOf" besides the real error below them: drop those two.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'));
  for (const e of errors.slice(0, MAX_REPORTED)) {
    // An unknown key is best shown at the key's own value.
    const path = e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` : e.instancePath;
    const span = options.locate ? options.locate(path) : ((options.nodeSpans === false ? null : spanAt(spec, e.instancePath)) ?? fallback);
    const { code, message } = describe(e, spec);
    const key = `${e.instancePath}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sink.report(code, message, span, { hint: `at JSON path ${e.instancePath || '/'}` });
  }
  return null;
}

function describe(e: ErrorObject, root: unknown): { code: 'NNC2001' | 'NNC2002' | 'NNC2003'; message: string } {
  const last = e.instancePath.split('/').pop() ?? '';
  const kind = (nodeAt(root, e.instancePath) as { kind?: unknown } | null)?.kind;
  const where = e.instancePath === '' ? 'the spec' : typeof kind === 'string' && /^\d+$/.test(last) ? `a \`${kind}\` node` : `\`${last}\``;
  switch (e.keyword) {
    case 'additionalProperties':
      return { code: 'NNC2002', message: `unknown key \`${String(e.params.additionalProperty)}\` in ${where}` };
    case 'required':
      return { code: 'NNC2001', message: `${where} is missing \`${String(e.params.missingProperty)}\`` };
    case 'type':
      return { code: 'NNC2003', message: `${where} must be of type ${String(e.params.type)}` };
    case 'const':
    case 'enum':
      return { code: 'NNC2003', message: `${where} must be ${e.keyword === 'const' ? `\`${String(e.params.allowedValue)}\`` : `one of ${(e.params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`}` };
    case 'discriminator':
      return { code: 'NNC2001', message: e.params.error === 'mapping' ? `unknown node kind \`${String(e.params.tagValue)}\` at ${where}` : `${where} needs a string \`kind\`` };
    default:
      return { code: 'NNC2001', message: `${where} ${e.message ?? 'does not match the schema'}` };
  }
}

/** The span of the innermost node on the JSON-pointer path that carries a well-formed span. */
function spanAt(root: unknown, pointer: string): Span | null {
  let best: Span | null = null;
  let at: unknown = root;
  const steps = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let i = 0; ; i++) {
    const span = (at as { span?: unknown } | null)?.span;
    if (isSpan(span)) best = span;
    const step = steps[i];
    if (step === undefined || typeof at !== 'object' || at === null) break;
    at = (at as Record<string, unknown>)[step];
  }
  return best;
}

function nodeAt(root: unknown, pointer: string): unknown {
  let at = root;
  for (const step of pointer === '' ? [] : pointer.slice(1).split('/')) {
    if (typeof at !== 'object' || at === null) return null;
    at = (at as Record<string, unknown>)[step.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return at;
}

function isSpan(s: unknown): s is Span {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  return typeof o.file === 'string' && [o.offset, o.line, o.column, o.length].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) && (o.line as number) >= 1 && (o.column as number) >= 1;
}
