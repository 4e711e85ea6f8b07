// The one catalogue of diagnostic codes. Codes are stable: never renumber,
// only add. Bands: 1xxx syntax, 2xxx schema, 3xxx names/shapes, 4xxx autodiff,
// 5xxx emit, 6xxx data/runtime. docs/diagnostics.md mirrors this table (a test checks).
import type { Severity } from './diagnostic.js';

export interface CatalogueEntry {
  severity: Severity;
  title: string;
}

export const CATALOGUE = {
  // 1xxx syntax
  NNC1001: { severity: 'error', title: 'unexpected character' },
  NNC1002: { severity: 'error', title: 'unexpected token' },
  NNC1003: { severity: 'error', title: 'unterminated string' },
  NNC1004: { severity: 'error', title: 'invalid number literal' },
  NNC1005: { severity: 'error', title: 'empty spec' },
  NNC1006: { severity: 'error', title: 'file is not text' },
  NNC1007: { severity: 'error', title: 'file too large' },
  // 2xxx schema
  NNC2001: { severity: 'error', title: 'spec does not match the schema' },
  NNC2002: { severity: 'error', title: 'unknown key' },
  NNC2003: { severity: 'error', title: 'wrong value type' },
  NNC2004: { severity: 'error', title: 'missing required statement' },
  NNC2005: { severity: 'error', title: 'invalid JSON spec' },
  // 3xxx names and shapes
  NNC3001: { severity: 'error', title: 'undefined name' },
  NNC3002: { severity: 'error', title: 'name bound twice' },
  NNC3003: { severity: 'error', title: 'unknown layer or op' },
  NNC3004: { severity: 'error', title: 'unknown activation' },
  NNC3005: { severity: 'error', title: 'unknown optimizer' },
  NNC3006: { severity: 'error', title: 'unknown schedule' },
  NNC3007: { severity: 'error', title: 'unknown metric' },
  NNC3008: { severity: 'error', title: 'unknown named argument' },
  NNC3009: { severity: 'error', title: 'missing argument' },
  NNC3010: { severity: 'error', title: 'wrong argument type' },
  NNC3011: { severity: 'error', title: 'too many arguments' },
  NNC3012: { severity: 'error', title: 'statement given twice' },
  NNC3013: { severity: 'error', title: 'unknown initialiser' },
  NNC3014: { severity: 'error', title: 'unknown data source' },
  NNC3015: { severity: 'error', title: 'unknown parameter' },
  NNC3016: { severity: 'error', title: 'pattern matches no parameter' },
  NNC3017: { severity: 'error', title: 'invalid value' },
  NNC3018: { severity: 'error', title: 'argument or key given twice' },
  NNC3019: { severity: 'error', title: 'unknown type' },
  NNC3020: { severity: 'error', title: 'shape mismatch' },
  NNC3021: { severity: 'error', title: 'rank mismatch' },
  NNC3022: { severity: 'error', title: 'dtype mismatch' },
  NNC3023: { severity: 'error', title: 'loss is not a scalar' },
  NNC3024: { severity: 'error', title: 'invalid axis' },
  NNC3030: { severity: 'warning', title: 'unused binding' },
  NNC3070: { severity: 'error', title: 'pretrained parameter matches nothing' },
  NNC3071: { severity: 'error', title: 'model parameter missing from the pretrained source' },
  NNC3072: { severity: 'error', title: 'pretrained shape mismatch' },
  NNC3073: { severity: 'error', title: 'class selection does not match the target' },
  NNC3074: { severity: 'error', title: 'unreadable pretrained source' },
  // 4xxx autodiff
  NNC4001: { severity: 'error', title: 'loss does not depend on any trainable parameter' },
  NNC4002: { severity: 'warning', title: 'parameter does not affect the loss' },
  NNC4003: { severity: 'error', title: 'op is not differentiable' },
  // 5xxx emit
  NNC5001: { severity: 'error', title: 'cannot write output' },
  NNC5002: { severity: 'error', title: 'op has no lowering for this backend' },
  // 6xxx data and runtime
  NNC6001: { severity: 'error', title: 'file not found' },
  NNC6002: { severity: 'error', title: 'gradient check failed' },
  NNC6003: { severity: 'error', title: 'training failed' },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof CATALOGUE;
