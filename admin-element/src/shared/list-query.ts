import type { ReactiveControllerHost } from 'lit';

export type SortOrder = 'asc' | 'desc';

/** A list's page, sort and filters; every filter is text, '' when it filters nothing. */
export interface ListQuery<F extends Record<string, string>, S extends string> {
  offset: number;
  limit: number;
  sort?: S;
  order?: SortOrder;
  filters: F;
}

/** The filters the API is given: the blank ones left out, the rest trimmed. */
type ActiveFilters<F> = { [K in keyof F]?: Exclude<F[K], ''> };

/** A list query as the list API takes it. */
export function listRequest<F extends Record<string, string>, S extends string>(
  query: ListQuery<F, S>,
) {
  const { offset, limit, sort, order, filters } = query;
  const active = Object.entries(filters)
    .map(([key, value]) => [key, value.trim()] as const)
    .filter(([, value]) => value !== '');
  return {
    offset,
    limit,
    ...(sort !== undefined && { sort }),
    ...(order !== undefined && { order }),
    ...(Object.fromEntries(active) as ActiveFilters<F>),
  };
}

/**
 * The query of a paged list view (sort, filters, page) and the moves a user makes on it. A
 * filter or a new sort goes back to the first page. Each change is a new `query` object and
 * updates the host, so a `Task` with `query` among its args loads the page again.
 */
export class ListQueryController<F extends Record<string, string>, S extends string = never> {
  private current: ListQuery<F, S>;

  constructor(
    private readonly host: ReactiveControllerHost,
    initial: ListQuery<F, S>,
  ) {
    this.current = initial;
  }

  get query(): ListQuery<F, S> {
    return this.current;
  }

  /** Whether a filter narrows the list: an empty page then says nothing matches. */
  get filtered(): boolean {
    return Object.values(this.current.filters).some((v) => v.trim() !== '');
  }

  filter<K extends keyof F>(key: K, value: F[K]) {
    this.set({ filters: { ...this.current.filters, [key]: value }, offset: 0 });
  }

  /** Sorts by `column`, ascending first, the other way when it is already sorted so. */
  sortBy(column: S): SortOrder {
    const { sort, order } = this.current;
    const next = sort === column && order === 'asc' ? 'desc' : 'asc';
    this.set({ sort: column, order: next, offset: 0 });
    return next;
  }

  turnTo(offset: number) {
    this.set({ offset: Math.max(0, offset) });
  }

  resize(limit: number) {
    this.set({ limit, offset: 0 });
  }

  private set(patch: Partial<ListQuery<F, S>>) {
    this.current = { ...this.current, ...patch };
    this.host.requestUpdate();
  }
}
