import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** Activity business rejections surface to the caller (an Update's client) as the activity's own ApplicationFailure. */
export async function unwrapActivity<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) throw err.cause;
    throw err;
  }
}
