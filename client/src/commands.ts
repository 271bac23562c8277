// The commands package.json contributes, by the name the code uses for each.
export const COMMANDS = {
  selectKernel: 'klpLens.selectKernel',
  showSeriesState: 'klpLens.showSeriesState',
  restartServer: 'klpLens.restartServer',
  verifyWithCompiler: 'klpLens.verifyWithCompiler',
  buildModule: 'klpLens.buildModule',
  trySeries: 'klpLens.trySeries',
  compareRunning: 'klpLens.compareRunning',
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandHandler = (...args: unknown[]) => unknown;

/** Registers one handler per command; the Record type makes a missing handler a type error. */
export function registerCommands<D>(
  register: (id: string, handler: CommandHandler) => D,
  handlers: Record<CommandName, CommandHandler>,
): D[] {
  return (Object.keys(COMMANDS) as CommandName[]).map((name) => register(COMMANDS[name], handlers[name]));
}
