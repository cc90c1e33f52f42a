// Placeholder until the offline inspector (issue 4) lands: the command exists so --help is complete.
export async function runInspectCommand(_options: { port: string; host: string; allowRemote: boolean; open?: string }): Promise<void> {
  throw new Error('The offline inspector is not built yet.');
}
