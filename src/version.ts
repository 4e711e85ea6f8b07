// The compiler's version, printed by `nnc --version` and stamped into generated headers.
export const VERSION = '0.1.0';
