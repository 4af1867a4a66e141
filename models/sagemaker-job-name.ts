import { createHash } from 'node:crypto';

/** SageMaker's limit on transform job names, which may hold only letters, digits and dashes. */
export const maxTransformJobNameLength = 63;
/** Room kept for the `-r<attempt>` suffix of capacity retries. */
const attemptRoom = 4;

/**
 * The transform job name of one attempt of one pipeline step. A short hash of the step's job
 * name and the SageMaker model keeps two steps apart once their names are cut or cleaned, and
 * gives a new model version fresh jobs (SageMaker never frees a job name). Attempts after the
 * first, started after a capacity failure, end in `-r1`, `-r2`...
 */
export function transformJobName(jobName: string, modelName: string, attempt = 0): string {
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 99) {
    throw new RangeError(`transform job attempt ${attempt}: expected an integer from 0 to 99`);
  }
  const hash = createHash('sha256').update(`${jobName}\n${modelName}`).digest('hex').slice(0, 8);
  const room = maxTransformJobNameLength - attemptRoom - hash.length - 1;
  const base = jobName
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  const name = base ? `${base}-${hash}` : hash;
  return attempt === 0 ? name : `${name}-r${attempt}`;
}
