/**
 * How SageMaker says "no capacity": a job that fails with `CapacityError: ...` in its
 * FailureReason, or a CreateTransformJob refused with ResourceLimitExceeded (an account quota
 * for the instance type). Both may pass on another instance type or a little later.
 */
const capacityPattern = /\b(CapacityError|ResourceLimitExceeded|InsufficientInstanceCapacity)\b/;

/** The capacity problem in an error or a FailureReason, or undefined for any other problem. */
export function capacityProblem(errorOrReason: unknown): string | undefined {
  if (typeof errorOrReason === 'string') {
    return capacityPattern.test(errorOrReason) ? errorOrReason : undefined;
  }
  if (!(errorOrReason instanceof Error)) return undefined;
  const { name, message } = errorOrReason;
  if (capacityPattern.test(name)) return `${name}: ${message}`;
  return capacityPattern.test(message) ? message : undefined;
}

/** DescribeTransformJob's answer for a name no job has: a ValidationException, not a 404. */
export function isMissingJob(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ResourceNotFound') return true;
  return err.name === 'ValidationException' && /could not find|does not exist/i.test(err.message);
}

/** A request SageMaker will refuse again however often it is sent (bad model name, bad type). */
export function isRejectedRequest(err: unknown): boolean {
  return err instanceof Error && err.name === 'ValidationException';
}
