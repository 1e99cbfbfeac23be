import type { Command } from 'commander';
import { registerDoctor } from './doctor.js';
import { registerDrainBuffer } from './drain-buffer.js';
import { registerInitSchema } from './init-schema.js';
import { registerUndo } from './undo.js';

/** Every command of the CLI, in the order `--help` lists them. One line per command. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerDoctor,
  registerInitSchema,
  registerUndo,
  registerDrainBuffer,
];
