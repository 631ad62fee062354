// Every benchmark stage, by name: a new stage is one file plus one entry here. The first is the default.
import { e2eStage } from './e2e.js';
import { generateStage } from './generate.js';
import { incrementalStage } from './incremental.js';
import { pipelineStage } from './pipeline.js';
import type { BenchStage } from './stage.js';

export const STAGES: readonly BenchStage[] = [pipelineStage, generateStage, incrementalStage, e2eStage];

/** Child-process measurements, by stage name (see child.ts). */
export const CHILD_MEASURES = { generate: generateStage.measure.bind(generateStage) } as const;
