// Every identifier the extension shares with package.json's `contributes` (commands, settings) or
// with VS Code (notebook type, controller id), defined once and imported where used.

export const EXTENSION_ID = 'convkan.convkan-notebook';
export const NOTEBOOK_TYPE = 'jupyter-notebook';
export const CONTROLLER_ID = 'convkan-typescript';
export const CONTROLLER_LABEL = 'ConvKAN (TypeScript)';
/** The value VS Code gives the `notebookKernel` context key when our controller is selected. */
export const KERNEL_CONTEXT_VALUE = `${EXTENSION_ID}/${CONTROLLER_ID}`;
/** Kernelspec name written by `convkan-kernel install` and used by the example notebooks. */
export const KERNELSPEC_NAME = 'convkan';
export const OUTPUT_CHANNEL_NAME = 'ConvKAN Kernel';

export const COMMAND_NEW_NOTEBOOK = 'convkan.newNotebook';
export const COMMAND_SWITCH_BACKEND = 'convkan.switchBackend';
export const COMMAND_RESTART_KERNEL = 'convkan.restartKernel';
export const COMMAND_INTERRUPT_KERNEL = 'convkan.interruptKernel';
export const COMMAND_SHOW_KERNEL_LOG = 'convkan.showKernelLog';

export const CONFIG_SECTION = 'convkan';
export const SETTING_NODE_PATH = 'nodePath';
export const SETTING_KERNEL_ARGS = 'kernelArgs';
export const SETTING_BACKEND = 'backend';
