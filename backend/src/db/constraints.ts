/** True for a write refused by a UNIQUE constraint (a duplicate name or title). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** For a write's `.catch`: a duplicate becomes the caller's refusal, any other failure stays. */
export function onDuplicate(refusal: () => Error): (err: unknown) => never {
  return (err) => {
    throw isUniqueViolation(err) ? refusal() : err;
  };
}
