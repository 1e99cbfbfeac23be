import type { Command } from 'commander';
import { registerApproveRequests } from './approve-requests.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerDrainBuffer } from './drain-buffer.js';
import { registerInitSchema } from './init-schema.js';
import { registerTransfer } from './migrate.js';
import { registerRepairOrphanedTeams } from './repair-orphaned-teams.js';
import { registerSeed } from './seed.js';
import { registerStatus } from './status.js';
import { registerSync } from './sync.js';
import { registerResetGlobalAccess } from './reset-global-access.js';
import { registerUndo } from './undo.js';
import { registerVerify } from './verify.js';

/** Every command of the CLI, in the order `--help` lists them. One line per command. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerDemo,
  registerDoctor,
  registerInitSchema,
  registerSeed,
  registerTransfer,
  registerStatus,
  registerVerify,
  registerSync,
  registerApproveRequests,
  registerResetGlobalAccess,
  registerRepairOrphanedTeams,
  registerUndo,
  registerDrainBuffer,
];
