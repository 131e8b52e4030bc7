// Tiny DOM helpers: views build a handful of elements, so a framework would be overkill.
// All user-provided text goes through textContent, never innerHTML.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/** A labelled <select>; `role` becomes data-role, the stable hook tests and users' scripts use. */
export function select(
  role: string,
  label: string,
  options: Array<{ value: string; text: string }>,
  value: string,
): {
  label: HTMLLabelElement;
  select: HTMLSelectElement;
} {
  const sel = el('select', { 'data-role': role, 'aria-label': label });
  for (const o of options) sel.append(el('option', { value: o.value }, o.text));
  sel.value = value;
  return { label: el('label', {}, `${label} `, sel), select: sel };
}

export function checkbox(role: string, label: string, checked: boolean): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = el('input', { type: 'checkbox', 'data-role': role });
  input.checked = checked;
  return { label: el('label', {}, input, label), input };
}

/** Escapes text that plotly renders as its pseudo-HTML (titles, hover text, annotations). */
export function plotlyText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
