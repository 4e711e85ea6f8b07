// The CLI's commands, one file each, loaded on demand: `nnc --version` or
// `nnc check` should not pay for ts-morph or tfjs.
export type Command = (argv: readonly string[]) => Promise<number>;

export const COMMANDS = {
  check: async () => (await import('./commands/check.js')).checkCommand,
  compile: async () => (await import('./commands/compile.js')).compileCommand,
  train: async () => (await import('./commands/train.js')).trainCommand,
  graph: async () => (await import('./commands/graph.js')).graphCommand,
  gradcheck: async () => (await import('./commands/gradcheck.js')).gradcheckCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
} satisfies Record<string, () => Promise<Command>>;

export type CommandName = keyof typeof COMMANDS;
