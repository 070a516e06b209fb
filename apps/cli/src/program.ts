// kubectl-sidecarset's command tree. Each command lives in its own module under commands/.
import { Command } from 'commander';
import { explainCommand } from './commands/explain.js';
import { injectCommand } from './commands/inject.js';
import { planCommand } from './commands/plan.js';
import { rolloutCommand } from './commands/rollout.js';
import { statusCommand } from './commands/status.js';

export function buildProgram(version: string): Command {
  return new Command('kubectl-sidecarset')
    .description('Inspect, plan and inject SidecarSets (kubectl plugin: `kubectl sidecarset ...`)')
    .version(version)
    .showHelpAfterError()
    .addCommand(injectCommand())
    .addCommand(statusCommand())
    .addCommand(planCommand())
    .addCommand(rolloutCommand())
    .addCommand(explainCommand());
}
