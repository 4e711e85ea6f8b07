// `nnc` command-line entry. The only module (with its commands) that does I/O.
// Exit codes: 0 ok, 1 spec errors, 2 usage, 3 training failure.
import { UsageError } from './args.js';
import { COMMANDS, type CommandName } from './commands.js';
import { VERSION } from '../version.js';

const USAGE = `nnc ${VERSION} — compiles .nn neural-network specs into standalone TypeScript trainers

usage: nnc <command> [options] FILE…

commands:
  check FILE…       parse and check specs; print diagnostics (exit 1 on errors)
  compile FILE      write the generated trainer (default generated/<model>/)
  train FILE        compile, then run the trainer (trainer flags pass through)
  graph FILE        print the forward + backward IR (text, or --dot / --svg)
  gradcheck FILE    compare compiled gradients with tf.grad and finite differences
  export FILE       write a trained model as a TensorFlow.js layers model (model.json + weights)

options:
  -h, --help        help (also: nnc <command> --help)
  -V, --version     print the version

exit codes: 0 ok, 1 errors in a spec (or a failed gradient check), 2 usage error, 3 training failed`;

export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(USAGE + '\n');
    return first === undefined ? 2 : 0;
  }
  if (first === '-V' || first === '--version') {
    process.stdout.write(`nnc ${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[first as CommandName];
  if (load === undefined) {
    const names = Object.keys(COMMANDS);
    const close = names.find((n) => n.startsWith(first.slice(0, 2)));
    process.stderr.write(`nnc: unknown command '${first}'${close ? `; did you mean '${close}'?` : ''}\nrun 'nnc --help' for the list of commands\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`nnc ${first}: ${e.message}\nrun 'nnc ${first} --help' for usage\n`);
      return 2;
    }
    // Anything else is a bug in nnc, not the user's mistake: say so plainly.
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`nnc: internal error: ${err.message}\nThis is a bug in nnc; please report it with the spec that triggered it.\n`);
    if (process.env.NNC_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 70;
  }
}
