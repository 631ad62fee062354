// Every benchmark stage, by name: a new stage is one file plus one entry here.
import { generateStage } from './generate.js';
import type { BenchStage } from './stage.js';

export const STAGES: readonly BenchStage[] = [generateStage];
