/** The geometry the pipeline shares (docs/design.md §4.1, §15): one implementation of each formula. */
export * from './conic.js';
export * from './conversion.js';
export * from './curves.js';
export * from './golden-section.js';
export * from './hausdorff.js';
export * from './interval-cubic.js';
