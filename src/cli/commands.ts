// The CLI's commands, one file each.
import { checkCommand } from './commands/check.js';
import { compileCommand } from './commands/compile.js';
import { trainCommand } from './commands/train.js';
import { graphCommand } from './commands/graph.js';
import { gradcheckCommand } from './commands/gradcheck.js';

export type Command = (argv: readonly string[]) => Promise<number>;

export const COMMANDS = {
  check: checkCommand,
  compile: compileCommand,
  train: trainCommand,
  graph: graphCommand,
  gradcheck: gradcheckCommand,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;
