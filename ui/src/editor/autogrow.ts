// Textareas that grow with their text (up to a limit), so a body reads like part of the document.
// Sets the height through the CSSOM, which the app's CSP allows (inline style attributes are not).

const MAX_HEIGHT_PX = 640;

function fit(node: HTMLTextAreaElement): void {
  node.style.height = 'auto';
  node.style.height = `${Math.min(node.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
}

/** `use:autogrow={value}`: refits when the user types and when the value changes from outside. */
export function autogrow(node: HTMLTextAreaElement, _value?: string) {
  const onInput = () => fit(node);
  node.addEventListener('input', onInput);
  queueMicrotask(() => fit(node));
  return {
    update() {
      fit(node);
    },
    destroy() {
      node.removeEventListener('input', onInput);
    },
  };
}
