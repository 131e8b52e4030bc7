// `convkan-kernel install | uninstall`: writes or removes the Jupyter kernelspec.

import { DEFAULT_DISPLAY_NAME, DEFAULT_KERNEL_NAME, installKernelSpec, uninstallKernelSpec, type SpecLocation } from './kernelspec';

export const KERNEL_CLI_USAGE = `Usage:
  convkan-kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--node PATH]
  convkan-kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
  convkan-kernel --help

  --user          ~/.local/share/jupyter/kernels (Jupyter's user data dir; the default)
  --sys-prefix    <sys.prefix of python3>/share/jupyter/kernels (a venv or conda env)
  --prefix DIR    DIR/share/jupyter/kernels
  --name NAME     kernelspec name (default "${DEFAULT_KERNEL_NAME}"): jupyter console --kernel NAME
  --display-name  name shown by Jupyter frontends (default "${DEFAULT_DISPLAY_NAME}")
  --node PATH     Node.js executable in kernel.json (default: the one running this command)
`;

export interface KernelCliArgs {
  command: 'install' | 'uninstall' | 'help';
  location: SpecLocation;
  name: string;
  displayName?: string;
  node?: string;
}

export function parseKernelCliArgs(argv: string[]): KernelCliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help', location: { kind: 'user' }, name: DEFAULT_KERNEL_NAME };
  }
  if (command !== 'install' && command !== 'uninstall') {
    throw new Error(`Error in convkan-kernel: the command must be "install" or "uninstall", but got "${command}"\n\n${KERNEL_CLI_USAGE}`);
  }
  const args: KernelCliArgs = { command, location: { kind: 'user' }, name: DEFAULT_KERNEL_NAME };
  let locations = 0;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--'))
        throw new Error(`Error in convkan-kernel ${command}: ${a} needs a value, but got ${v === undefined ? 'none' : `"${v}"`}`);
      return v;
    };
    if (a === '--user') ((args.location = { kind: 'user' }), locations++);
    else if (a === '--sys-prefix') ((args.location = { kind: 'sys-prefix' }), locations++);
    else if (a === '--prefix') ((args.location = { kind: 'prefix', dir: value() }), locations++);
    else if (a === '--name') args.name = value();
    else if (a === '--display-name' && command === 'install') args.displayName = value();
    else if (a === '--node' && command === 'install') args.node = value();
    else if (a === '--help' || a === '-h') return { ...args, command: 'help' };
    else throw new Error(`Error in convkan-kernel ${command}: unknown option "${a}"\n\n${KERNEL_CLI_USAGE}`);
  }
  if (locations > 1)
    throw new Error(`Error in convkan-kernel ${command}: give at most one of --user, --sys-prefix, --prefix, but got ${locations}`);
  return args;
}

export function runKernelCli(argv: string[], out: (line: string) => void = console.log): number {
  const args = parseKernelCliArgs(argv);
  if (args.command === 'help') {
    out(KERNEL_CLI_USAGE);
    return 0;
  }
  if (args.command === 'install') {
    const dir = installKernelSpec({ location: args.location, name: args.name, displayName: args.displayName, node: args.node });
    out(`Installed kernelspec ${args.name} in ${dir}`);
    out(`Try: jupyter console --kernel ${args.name}`);
    return 0;
  }
  const dir = uninstallKernelSpec(args.location, args.name);
  out(dir ? `Removed kernelspec ${args.name} from ${dir}` : `No kernelspec ${args.name} to remove`);
  return dir ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = runKernelCli(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
  }
}
