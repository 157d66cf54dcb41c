// The autoscaling strategies: v2 (storage) and v1 (served by conversion).
import type { ResourceStrategy } from '../strategy.js';
import { hpaV1Strategy, hpaV2Strategy } from './horizontalpodautoscaler/strategy.js';

export { hpaV1Strategy, hpaV2Strategy };
export { defaultHPA, formatHPAMetrics } from './horizontalpodautoscaler/strategy.js';
export * from './horizontalpodautoscaler/conversion.js';

/** Every autoscaling strategy (v2 first: it is the preferred and storage version). */
export const autoscalingStrategies: ResourceStrategy[] = [hpaV2Strategy, hpaV1Strategy] as ResourceStrategy[];
