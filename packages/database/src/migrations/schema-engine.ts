// Prisma's schema engine, compiled to WebAssembly and driven through @prisma/adapter-pg, so
// migrations run with no native engine and no network (the Prisma CLI would download one).
//
// Three defects of @prisma/adapter-pg 7.10 are worked around here; each was reproduced:
// - PostgreSQL's internal one-byte "char" type (oid 18, e.g. pg_constraint.contype) has no
//   mapping, so describing a schema failed with "Column type 'char' could not be deserialized".
// - executeScript split a migration on every ";" and sent the pieces through the pool: DO $$ $$
//   blocks and functions broke, and a migration was no longer atomic. A migration here is one
//   simple-protocol query on one connection, which PostgreSQL runs as one transaction.
// - connectToShadowDb dropped the shadow database while its own pool was still connected, and
//   leaked a database on every drift check.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

type Engine = glue.SchemaEngine;

// Node has WebAssembly, but the ES library typings do not declare it (that comes with "DOM").
interface WasmRuntime {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmRuntime };

let wasmReady: Promise<void> | undefined;

/** Instantiates the engine's .wasm from its bytes (Node 20 cannot import .wasm modules). */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
    // Where the engine reports a Rust panic; without it a panic reads "unreachable".
    registry.PRISMA_WASM_PANIC_REGISTRY ??= { set_message(_message: string) {} };
    const gluePath = fileURLToPath(
      import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'),
    );
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': glue,
    });
    const exports = instance.exports as { __wbindgen_start(): void };
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

export interface ConnectionFields {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly database: string;
}

/** Splits a postgresql:// URL into fields (a connectionString would override `database`). */
export function connectionFields(url: string): ConnectionFields {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname) || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
  };
}

/** Reports the internal "char" type (oid 18) as text (oid 25), which the adapter can read. */
class CharAsTextClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads to forward.
  override query(...args: any[]): any {
    const fix = (result: unknown) => {
      for (const r of Array.isArray(result) ? result : [result]) {
        for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
          if (field.dataTypeID === 18) field.dataTypeID = 25;
        }
      }
      return result;
    };
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: Error | undefined, result: unknown) =>
        last(error, error ? result : fix(result));
      // biome-ignore lint/suspicious/noExplicitAny: forwarding.
      return (super.query as any)(...args);
    }
    // biome-ignore lint/suspicious/noExplicitAny: forwarding.
    const returned = (super.query as any)(...args);
    return returned && typeof returned.then === 'function' ? returned.then(fix) : returned;
  }
}

class OfflineMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';

  /** Connections the engine opened; the engine does not close them itself. */
  readonly opened = new Set<SqlDriverAdapter>();

  constructor(private readonly fields: ConnectionFields) {}

  async disposeAll(): Promise<void> {
    const adapters = [...this.opened];
    this.opened.clear();
    await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.open(this.fields.database);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await this.admin(`CREATE DATABASE "${name}"`);
    const shadow = await this.open(name);
    const dispose = shadow.dispose.bind(shadow);
    let disposed = false;
    shadow.dispose = async () => {
      if (disposed) return;
      disposed = true;
      await dispose();
      await this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return shadow;
  }

  private async open(database: string): Promise<SqlDriverAdapter> {
    const factory = new PrismaPg({ ...this.fields, database, max: 2, Client: CharAsTextClient });
    const adapter = await factory.connect();
    this.opened.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      this.opened.delete(adapter);
      await dispose();
    };
    const pool = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
    adapter.executeScript = async (script: string) => {
      const client = await pool.connect();
      try {
        await client.query(script);
      } finally {
        client.release();
      }
    };
    return adapter;
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ ...this.fields });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

export interface SchemaEngineSession {
  /** Calls an engine method, turning adapter errors back into the original error. */
  call<M extends keyof Engine>(
    method: M,
    input: Engine[M] extends (input: infer I) => unknown ? I : never,
  ): Promise<Engine[M] extends (...args: never[]) => Promise<infer O> ? O : never>;
  /** Frees the engine and closes every connection it opened. */
  close(): Promise<void>;
}

/** Opens the WebAssembly schema engine on the database at `url`. */
export async function openSchemaEngine(url: string): Promise<SchemaEngineSession> {
  await loadWasm();
  const factory = new OfflineMigrationAdapterFactory(connectionFields(url));
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const unwrap = (error: unknown) => {
    // Errors raised in the adapter are parked in a registry; the engine only returns their id.
    const e = error as { id?: unknown; cause?: { id?: unknown } };
    const id = e?.cause?.id ?? e?.id;
    if (typeof id === 'number') {
      const parked = adapter.errorRegistry.consumeError(id);
      if (parked) return parked.error;
    }
    return error;
  };
  let engine: Engine;
  try {
    engine = await glue.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  } catch (error) {
    await factory.disposeAll();
    throw unwrap(error);
  }
  return {
    async call(method, input) {
      try {
        // biome-ignore lint/suspicious/noExplicitAny: the engine's methods take their own input types.
        return await (engine[method] as any).call(engine, input);
      } catch (error) {
        throw unwrap(error);
      }
    },
    async close() {
      engine.free();
      await factory.disposeAll();
    },
  };
}
