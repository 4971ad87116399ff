// Demonstration and scale data, for development, the launcher and benchmarks only.
export {
  DEMO_PASSWORD,
  DEMO_USERS,
  type DemoDecision,
  demoDecision,
  type SeedOptions,
  type SeedResult,
  type SeedState,
  seedDemo,
  seedState,
} from './seed/demo.js';
export {
  type ScaleSeedOptions,
  seedScale,
} from './seed/scale.js';
