import { ref } from 'vue';
import { ApiProblem } from '../api/http';

/**
 * Runs an async action for a form or button: `pending` while it runs, and the failure
 * as an ApiProblem for <ProblemAlert> and the fields. Returns undefined when it failed.
 */
export function useAction<Args extends unknown[], Result>(action: (...args: Args) => Promise<Result>) {
  const pending = ref(false);
  const problem = ref<ApiProblem | null>(null);

  async function run(...args: Args): Promise<Result | undefined> {
    pending.value = true;
    problem.value = null;
    try {
      return await action(...args);
    } catch (error) {
      problem.value =
        error instanceof ApiProblem ? error : new ApiProblem(0, 'client', 'Something went wrong', String(error));
      return undefined;
    } finally {
      pending.value = false;
    }
  }

  return { pending, problem, run };
}
