// Reads which TensorFlow.js backend a kernel runs on from the `convkan: { backend, label, reason }`
// field of its kernel_info_reply (kernel/protocol/messages.ts, ConvkanKernelInfo). The kernel
// answers kernel_info before TensorFlow.js has loaded and adds the field once it has, so "not
// known yet" is a normal answer (undefined). The banner is text for people and is never parsed.

import type { ConvkanKernelInfo, KernelInfoReply } from '../kernel/protocol/messages';

export interface KernelBackend {
  /** Backend name as TensorFlow.js reports it: tensorflow, wasm, cpu … */
  name: string;
  /** Human label, e.g. "GPU (tfjs-node-gpu)"; the name when the kernel gives none. */
  label: string;
  /** Why this backend was chosen, when the kernel says. */
  reason?: string;
}

export function backendFromKernelInfo(content: Partial<KernelInfoReply>): KernelBackend | undefined {
  const field: Partial<ConvkanKernelInfo> | undefined =
    typeof content.convkan === 'object' && content.convkan ? content.convkan : undefined;
  if (!field || typeof field.backend !== 'string' || !field.backend) return undefined;
  return {
    name: field.backend,
    label: typeof field.label === 'string' && field.label ? field.label : field.backend,
    reason: typeof field.reason === 'string' && field.reason ? field.reason : undefined,
  };
}
