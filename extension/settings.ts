// The user's convkan.* settings, read fresh for every kernel start so edits apply on restart.

import * as vscode from 'vscode';
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../kernel/convkan/backend/backendChoices';
import { CONFIG_SECTION, SETTING_BACKEND, SETTING_KERNEL_ARGS, SETTING_NODE_PATH } from './ids';

export interface KernelSettings {
  nodePath: string;
  kernelArgs: string[];
  backend: BackendChoice;
}

export function readKernelSettings(scope?: vscode.Uri): KernelSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const nodePath = config.get<string>(SETTING_NODE_PATH, '');
  const args = config.get<unknown>(SETTING_KERNEL_ARGS, []);
  const backend = config.get<unknown>(SETTING_BACKEND, 'auto');
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new Error(`Setting ${CONFIG_SECTION}.${SETTING_KERNEL_ARGS} must be an array of strings, but got ${JSON.stringify(args)}`);
  }
  if (!isBackendChoice(backend)) {
    throw new Error(
      `Setting ${CONFIG_SECTION}.${SETTING_BACKEND} must be one of ${BACKEND_CHOICES.join(', ')}, but got ${JSON.stringify(backend)}`,
    );
  }
  return { nodePath: typeof nodePath === 'string' ? nodePath : '', kernelArgs: args, backend };
}
