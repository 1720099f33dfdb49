'use strict';
// Test-only HTTP front over chDB (ClickHouse 26.x in-process). It serves the subset of ClickHouse's HTTP interface
// the loader and its tests use, so that the same ITs run against the modern engine. It is faithful to the engine
// (SQL, parts, mutations, parsers), not to ClickHouse's HTTP layer (no compression, auth, sessions, progress).
//   node server.js <port> <data dir>
const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { Session } = require('chdb');

const port = Number(process.argv[2] || process.env.CHDB_HTTP || 18133);
const dataDir = path.resolve(process.argv[3] || process.env.CHDB_DIR || 'chdb-data');
const insertDir = path.join(dataDir, 'http-inserts');
fs.mkdirSync(insertDir, { recursive: true });
const session = new Session(path.join(dataDir, 'session'));

// URL parameters that belong to the HTTP layer, not to query settings: accepted and ignored (or used below).
const HTTP_PARAMS = new Set(['query', 'database', 'default_format', 'query_id', 'compress', 'decompress',
  'session_id', 'session_timeout', 'session_check', 'wait_end_of_query', 'user', 'password', 'quota_key',
  'buffer_size', 'send_progress_in_http_headers', 'http_headers_progress_interval_ms', 'enable_http_compression',
  'http_zlib_compression_level', 'cancel_http_readonly_queries_on_client_close']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// One chDB session: USE and SET are session-wide, so requests run one after another.
let queue = Promise.resolve();
function serialized(work) {
  const run = queue.then(work, work);
  queue = run.catch(() => {});
  return run;
}

class HttpError extends Error {
  constructor(code, message) { super(message); this.clickhouseCode = code; }
}

function quote(value) {
  return "'" + String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

async function sql(text, format) {
  return session.queryAsync(text, { format: format || 'TabSeparated' });
}

// A query setting sent as a URL parameter: set for this request only, then put back.
async function withSettings(settings, work) {
  const restore = [];
  try {
    for (const [name, value] of settings) {
      if (!NAME.test(name)) throw new HttpError(115, `Code: 115. DB::Exception: Unknown setting '${name}'. (UNKNOWN_SETTING)`);
      const previous = (await sql(`SELECT value FROM system.settings WHERE name = ${quote(name)}`)).text();
      if (previous === '') throw new HttpError(115, `Code: 115. DB::Exception: Unknown setting '${name}'. (UNKNOWN_SETTING)`);
      await sql(`SET ${name} = ${quote(value)}`);
      restore.push(`SET ${name} = ${quote(previous.replace(/\n$/, ''))}`);
    }
    return await work();
  } finally {
    for (const statement of restore.reverse()) {
      await sql(statement).catch(() => {});
    }
  }
}

// INSERT … FORMAT F with the rows in the body: chDB's raw-insert path failed on some RowBinary bodies, a file does not.
async function insertFromBody(statement, body) {
  const match = /^([\s\S]*?)\s+FORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$/i.exec(statement.trim());
  if (!match) throw new HttpError(62, 'Code: 62. DB::Exception: the test front needs INSERT … FORMAT <name> with the rows in the body. (SYNTAX_ERROR)');
  const file = path.join(insertDir, crypto.randomUUID() + '.bin');
  fs.writeFileSync(file, body);
  try {
    return await sql(`${match[1]} FROM INFILE ${quote(file)} FORMAT ${match[2]}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

// client-v2 sends the database and the output format as headers (X-ClickHouse-Database, X-ClickHouse-Format).
async function answer(params, headers, body) {
  const database = params.get('database') || headers['x-clickhouse-database'] || 'default';
  const format = params.get('default_format') || headers['x-clickhouse-format'] || 'TabSeparated';
  if (!NAME.test(database)) throw new HttpError(81, `Code: 81. DB::Exception: Database ${database} does not exist. (UNKNOWN_DATABASE)`);
  if (params.get('decompress') === '1') throw new HttpError(0, 'Code: 0. DB::Exception: the test front does not read compressed requests. (UNSUPPORTED)');
  const settings = [...params].filter(([name]) => !HTTP_PARAMS.has(name));
  const urlQuery = params.get('query');
  return serialized(async () => {
    await sql(`USE ${database}`);
    return withSettings(settings, async () => {
      if (urlQuery !== null && /^\s*INSERT\b/i.test(urlQuery) && body.length > 0) return insertFromBody(urlQuery, body);
      const text = urlQuery === null ? body.toString('utf8') : urlQuery + (body.length ? '\n' + body.toString('utf8') : '');
      if (text.trim() === '') throw new HttpError(62, 'Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)');
      return sql(text, format);
    });
  });
}

function fail(res, headers, error) {
  const code = error.clickhouseCode ?? 1001;
  const text = String(error.message || error).replace(/^Query failed: /, '');
  res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code) });
  res.end(text.endsWith('\n') ? text : text + '\n');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (process.env.CHDB_HTTP_LOG) console.log(req.method, req.url.slice(0, 300), JSON.stringify(req.headers));
  const queryId = url.searchParams.get('query_id') || crypto.randomUUID();
  const headers = { 'X-ClickHouse-Query-Id': queryId, 'X-ClickHouse-Timezone': 'UTC', 'X-ClickHouse-Server-Display-Name': 'chdb-http' };
  if (url.pathname === '/ping') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
    res.end('Ok.\n');
    return;
  }
  if (url.pathname !== '/') {
    fail(res, headers, new HttpError(0, `Code: 0. DB::Exception: the test front serves / and /ping only, not ${url.pathname}. (UNSUPPORTED)`));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'GET' && !url.searchParams.has('query')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end('Ok.\n');
      return;
    }
    answer(url.searchParams, req.headers, body).then((result) => {
      const summary = { read_rows: String(result.rowsRead || 0), read_bytes: String(result.bytesRead || 0),
        written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: '0', result_bytes: '0', elapsed_ns: '0' };
      res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Summary': JSON.stringify(summary) });
      res.end(Buffer.from(result.bytes()));
    }, (error) => fail(res, headers, error));
  });
});

server.listen(port, '127.0.0.1', () => {
  const version = session.query('SELECT version()', 'TabSeparated').trim();
  console.log(`chdb-http: ClickHouse ${version} (chDB) on 127.0.0.1:${port}, data in ${dataDir}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  // Finish the statement in progress (a MergeTree write must not be cut), then close the session.
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    queue.finally(() => { session.close(); process.exit(0); });
  });
}
