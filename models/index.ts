export { classifyTechniques, parentTechnique } from './technique-classifier.js';
export { clusterBatch } from './clusterer.js';
export { detectFlows } from './flow-detector.js';
