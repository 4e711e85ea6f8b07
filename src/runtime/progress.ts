// Per-epoch progress: a redrawn bar on a TTY, plain lines otherwise.
export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  now?: () => number;
}

export class Progress {
  constructor(options: ProgressOptions = {}) {
    void options;
  }
  startEpoch(epoch: number, epochs: number, steps: number): void {
    void epoch;
    void epochs;
    void steps;
  }
  step(examples: number, loss?: number): void {
    void examples;
    void loss;
  }
  endEpoch(summary: Record<string, number>): void {
    void summary;
  }
  log(line: string): void {
    void line;
  }
}
