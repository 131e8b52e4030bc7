// Entry point: wires the controller, status bar, commands and the kernel log together.

import path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ConvkanController } from './controller';
import { OUTPUT_CHANNEL_NAME } from './ids';
import { BackendStatusBar } from './statusBar';

let controllers: ConvkanController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  const log = (line: string) => output.appendLine(`${new Date().toISOString()} ${line}`);
  const kernelMain = path.join(context.extensionPath, 'out', 'kernel', 'main.js');
  controllers = new ConvkanController(kernelMain, log, () => output.show(true));
  context.subscriptions.push(output, controllers, new BackendStatusBar(controllers), ...registerCommands(controllers, output));
  log(`ConvKAN Notebook ${context.extension.packageJSON.version} activated (VS Code ${vscode.version}, kernel ${kernelMain})`);
}

/** Kernels shut down cleanly when VS Code closes or reloads the window. */
export async function deactivate(): Promise<void> {
  await controllers?.shutdownAll();
  controllers = undefined;
}
