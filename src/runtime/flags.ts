// Command-line flags shared by every generated trainer.
import type { BackendName } from './backend.js';

export interface TrainerFlags {
  epochs: number;
  batch: number | 'all';
  lr: number;
  seed: number;
  backend: BackendName | undefined;
  dataDir: string;
  checkpointDir: string | null;
  resume: boolean;
  quiet: boolean;
  maxSteps: number | null;
  limit: number | null;
  help: boolean;
}

export interface FlagDefaults {
  epochs: number;
  batch: number | 'all';
  lr: number;
  seed: number;
  dataDir?: string;
  checkpointDir?: string | null;
}

export function parseFlags(argv: readonly string[], defaults: FlagDefaults): TrainerFlags {
  void argv;
  void defaults;
  throw new Error('runtime: parseFlags not implemented yet');
}

export function helpText(program: string, defaults: FlagDefaults): string {
  void program;
  void defaults;
  throw new Error('runtime: helpText not implemented yet');
}
