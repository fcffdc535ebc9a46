// Preact with htm: components written as tagged templates, no build step.
import { h, render } from '../vendor/preact.mjs';
import htm from '../vendor/htm.mjs';

export const html = htm.bind(h);
export { h, render };
export * from '../vendor/hooks.mjs';
