import { AdminApiError } from '../api/admin-client.js';
import { normaliseFieldErrors } from './field-errors.js';

/** What a view shows about the change it is making or last made. */
export interface ChangeState {
  busy: boolean;
  /** The server's reason when the change was refused. */
  actionError: string;
  /** The visible confirmation of the change that succeeded. */
  done: string;
  errors: Record<string, string>;
}

/**
 * Runs a view's change: busy while it runs; then the confirmation `done`, or the server's reason
 * and its rule per field. True when it succeeded; an error that is not the API's is thrown on.
 */
export async function runChange(
  set: (state: Partial<ChangeState>) => void,
  change: () => Promise<unknown>,
  done: string,
  fieldsOf: (err: AdminApiError) => Record<string, string> = (err) =>
    normaliseFieldErrors(err.fieldErrors),
): Promise<boolean> {
  set({ busy: true, actionError: '', done: '' });
  try {
    await change();
    set({ errors: {}, done });
    return true;
  } catch (err) {
    if (!(err instanceof AdminApiError)) throw err;
    set({ errors: fieldsOf(err), actionError: err.message });
    return false;
  } finally {
    set({ busy: false });
  }
}
