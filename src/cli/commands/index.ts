import type { Command } from 'commander';
import { registerDoctor } from './doctor.js';
import { registerInitSchema } from './init-schema.js';
import { registerTransfer } from './migrate.js';
import { registerSeed } from './seed.js';
import { registerStatus } from './status.js';
import { registerUndo } from './undo.js';

/** Every command of the CLI, in the order `--help` lists them. One line per command. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerDoctor,
  registerInitSchema,
  registerTransfer,
  registerStatus,
  registerSeed,
  registerUndo,
];
