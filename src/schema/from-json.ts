// A spec given as JSON (the AST, as `schema/nn-spec.schema.json` describes it).
import type { DiagnosticSink } from '../diagnostics/diagnostic.js';
import type { Spec } from '../syntax/ast.js';
import { spanAt } from '../syntax/span.js';
import { locateJsonPointer } from './json-locate.js';
import { validateSpec } from './validate.js';

export function specFromJson(text: string, file: string, sink: DiagnosticSink): Spec | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message);
    sink.report('NNC2005', `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, spanAt(text, file, position ? Number(position[1]) : 0, 1), {
      hint: 'a JSON spec is the AST of a .nn file; see schema/nn-spec.schema.json',
    });
    return null;
  }
  // Schema errors outside any node with a span are shown at the top of the JSON file.
  // The spans inside hand-written JSON need not describe this file: locate errors in the JSON text itself.
  const locate = (path: string) => {
    const at = locateJsonPointer(text, path);
    return spanAt(text, file, at.offset, at.length);
  };
  return validateSpec(data, sink, { locate });
}
