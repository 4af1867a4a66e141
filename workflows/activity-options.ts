import type { ActivityOptions } from '@temporalio/workflow';

/** Bad input never gets better by retrying; everything else (I/O, a model backend) may. */
export const nonRetryableErrorTypes = [
  'InvalidInputFile',
  'InputTooLarge',
  'InvalidModelOutput',
  'InvalidSplunkExport',
];

export const dataActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes,
  },
};

export const modelActivityOptions: ActivityOptions = {
  ...dataActivityOptions,
  startToCloseTimeout: '2 hours',
};
