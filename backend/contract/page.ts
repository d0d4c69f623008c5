import { z } from 'zod';

/** Which slice of a list to answer: `offset` items skipped, at most `limit` (100) returned. */
export const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** One page of a list: its items, how many there are in all, and the slice asked for. */
export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number(),
    limit: z.number(),
  });
export type Page<T> = { items: T[]; total: number; offset: number; limit: number };
