import { ApplicationFailure } from '@temporalio/common';

/**
 * Kinds of bad input. Each becomes a non-retryable ApplicationFailure whose `type` says what was
 * wrong, so a bad file ends its run with a clear error instead of a retry loop.
 */
export const failureTypes = {
  invalidInputFile: 'InvalidInputFile',
  inputTooLarge: 'InputTooLarge',
  invalidModelOutput: 'InvalidModelOutput',
  invalidSplunkExport: 'InvalidSplunkExport',
} as const;
export type FailureType = (typeof failureTypes)[keyof typeof failureTypes];

export function badInput(
  type: FailureType,
  message: string,
  details: Record<string, unknown> = {},
): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}
