/** An error the CLI prints without a stack; `exitCode` 2 = bad usage/config, 1 = failure, 130 = interrupted. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
