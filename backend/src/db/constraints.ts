/**
 * True for a write refused by a UNIQUE constraint (a duplicate name or title): SQLite's code, or
 * PostgreSQL's SQLSTATE 23505.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** For a write's `.catch`: a duplicate becomes the caller's refusal, any other failure stays. */
export function onDuplicate(refusal: () => Error): (err: unknown) => never {
  return (err) => {
    throw isUniqueViolation(err) ? refusal() : err;
  };
}
