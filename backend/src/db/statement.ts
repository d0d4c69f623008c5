// The hot path's statements, built once. Kysely builds and compiles a query anew each time it runs
// (≈ 10 µs of immutable nodes and a compiler pass, as much as SQLite's own work on an indexed
// lookup); a statement here is built once per SQL dialect with named placeholders and then run
// with values. It still runs through Kysely's executor, so it joins the caller's transaction and
// waits its turn for the connection like any other query. Each statement lives beside the repo
// function that runs it: one place, whatever engine compiles it.
import type { CompiledQuery, Compilable, QueryResult } from 'kysely';
import type { Db } from './database.js';

/** A value the query is built with in place of a named parameter. */
class Placeholder {
  constructor(readonly name: string) {}
}

/** Where each parameter of a compiled query comes from: a named value, or a constant. */
type Slot = { name: string } | { constant: unknown };

interface Prepared {
  sql: string;
  slots: Slot[];
  query: CompiledQuery['query'];
}

export interface Statement<P, R> {
  /** Every row. */
  all(db: Db, params: P): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Db, params: P): Promise<R | undefined>;
  /** Runs it for its effect: rows changed, the inserted row id. */
  run(db: Db, params: P): Promise<QueryResult<R>>;
}

/**
 * A statement built by `build` from placeholders: `p.name` stands for the value given as
 * `params.name` at each run. The values must be passed where Kysely makes a parameter of them
 * (a comparison's right side, an inserted or updated value, a limit): a placeholder used as an
 * identifier, or spread into an `in (…)` list, is a mistake this cannot see. Compiled once per
 * dialect (the adapter a database and its transactions share).
 */
export function statement<P extends object, R>(
  build: (db: Db, p: P) => Compilable<R>,
): Statement<P, R> {
  const byDialect = new WeakMap<object, Prepared>();
  const placeholders = new Proxy({} as P, {
    get: (_, name) => new Placeholder(String(name)),
  });

  const compiled = (db: Db, params: P): CompiledQuery<R> => {
    const dialect = db.getExecutor().adapter;
    let prepared = byDialect.get(dialect);
    if (!prepared) {
      const query = build(db, placeholders).compile();
      prepared = {
        sql: query.sql,
        query: query.query,
        slots: query.parameters.map((v) =>
          v instanceof Placeholder ? { name: v.name } : { constant: v },
        ),
      };
      byDialect.set(dialect, prepared);
    }
    const parameters = prepared.slots.map((s) => {
      if (!('name' in s)) return s.constant;
      const value = (params as Record<string, unknown>)[s.name];
      // undefined would bind as a missing parameter: name the forgotten value instead
      if (value === undefined) throw new Error(`statement: no value given for ${s.name}`);
      return value;
    });
    return { sql: prepared.sql, parameters, query: prepared.query, queryId: { queryId: '' } };
  };

  return {
    async all(db, params) {
      return (await db.executeQuery(compiled(db, params))).rows;
    },
    async first(db, params) {
      return (await db.executeQuery(compiled(db, params))).rows[0];
    },
    run(db, params) {
      return db.executeQuery(compiled(db, params));
    },
  };
}

/**
 * Statements of one shape that varies by a few choices (which columns an update sets, say), one
 * per `shape` key, each built once: `of(key)` gives the statement `build(key)` describes.
 */
export function statementsByShape<S extends string, P extends object, R>(
  build: (shape: S) => (db: Db, p: P) => Compilable<R>,
): (shape: S) => Statement<P, R> {
  const byShape = new Map<S, Statement<P, R>>();
  return (shape) => {
    let made = byShape.get(shape);
    if (!made) {
      made = statement(build(shape));
      byShape.set(shape, made);
    }
    return made;
  };
}

/**
 * The placeholders of `columns`, as an inserted row: a statement's parameters object has no keys
 * of its own to spread (each `p.name` is made when asked), so an insert names its columns.
 */
export function columnsOf<P extends object, K extends keyof P & string>(
  p: P,
  columns: readonly K[],
): Pick<P, K> {
  return Object.fromEntries(columns.map((c) => [c, p[c]])) as Pick<P, K>;
}
