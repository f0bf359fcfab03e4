// Preloaded into Prism 5.14.2 (`node --require binary-safe.js …/prism-cli/dist/index.js proxy`)
// so that binary bodies pass through the proxy byte for byte.
//
// Why: stock Prism reads every non-JSON body as a UTF-8 string. Request bodies come in through
// micri's text() and leave through node-fetch as UTF-8 again; upstream responses are read with
// response.text() and written back as UTF-8. Any byte >= 0x80 of a WAV recording or an uploaded
// PDF is replaced by U+FFFD and the Content-Length no longer matches. Here non-JSON bodies are
// carried as latin1 strings instead (one char per byte, so validation still sees a string) and
// turned back into the same bytes on the way out. The request size limit is raised from 10 MB to
// 64 MB so that the contract's 50 MB document uploads can pass.
//
// Every patch checks that the function it wraps still exists, so a Prism upgrade fails loudly
// at start instead of silently corrupting bodies.
'use strict';
const path = require('path');

const prismCliDir = path.dirname(require.resolve('@stoplight/prism-cli/package.json'));
const serverDir = path.dirname(require.resolve('@stoplight/prism-http-server/package.json', { paths: [prismCliDir] }));
const httpDir = path.dirname(require.resolve('@stoplight/prism-http/package.json', { paths: [serverDir, prismCliDir] }));
const fromServer = (id) => require.resolve(id, { paths: [serverDir] });
const fromHttp = (id) => require.resolve(id, { paths: [httpDir] });

const typeIs = require(fromServer('type-is'));
const REQUEST_LIMIT = '64mb';
const isJson = (type) => !!typeIs.is(type || '', ['application/json', 'application/*+json']);
const isText = (type) => !!typeIs.is(type || '', ['text/*', 'application/xml', 'application/*+xml',
    'application/x-www-form-urlencoded']);

function must(cond, what) {
    if (!cond) {
        process.stderr.write(`binary-safe.js: Prism internals changed (${what}); refusing to start\n`);
        process.exit(70);
    }
}

// 1. Requests in: micri's exports are read-only getters, so the module itself is replaced in
//    the require cache before prism-http-server loads it.
const micriPath = fromServer('micri');
const micri = require(micriPath);
must(typeof micri.buffer === 'function' && typeof micri.text === 'function', 'micri.buffer/text');
const patchedMicri = Object.assign({}, micri, {
    text: async (req) => (await micri.buffer(req, { limit: REQUEST_LIMIT })).toString('latin1'),
    json: (req, opts) => micri.json(req, Object.assign({}, opts, { limit: REQUEST_LIMIT })),
});
require.cache[micriPath].exports = patchedMicri;

// 2. Requests out: the forwarder hands node-fetch a string; turn latin1 carriers back into bytes.
const fetchModule = require(fromHttp('node-fetch'));
must(typeof fetchModule.default === 'function', 'node-fetch default export');
const originalFetch = fetchModule.default;
fetchModule.default = (url, options) => {
    if (options && typeof options.body === 'string') {
        const headers = options.headers || {};
        const type = headers['content-type'] || headers['Content-Type'];
        if (!isJson(type))
            options = Object.assign({}, options, { body: Buffer.from(options.body, 'latin1') });
    }
    return originalFetch(url, options);
};

// 3. Responses in: read non-textual bodies as bytes, carried as a latin1 string.
const parseResponse = require(fromHttp('@stoplight/prism-http/dist/utils/parseResponse'));
must(typeof parseResponse.parseResponseBody === 'function', 'parseResponseBody');
const TE = require(fromHttp('fp-ts/TaskEither'));
const E = require(fromHttp('fp-ts/Either'));
parseResponse.parseResponseBody = (response) => TE.tryCatch(async () => {
    const type = response.headers.get('content-type') || '';
    if (response.status !== 204 && isJson(type))
        return response.json();
    if (!type || isText(type))
        return response.text();
    return Buffer.from(await response.arrayBuffer()).toString('latin1');
}, E.toError);

// 4. Responses out: write latin1 carriers back as the original bytes.
const serialize = require(fromServer('@stoplight/prism-http-server/dist/serialize'));
must(typeof serialize.serialize === 'function', 'serialize');
const originalSerialize = serialize.serialize;
serialize.serialize = (payload, contentType) => {
    if (typeof payload === 'string' && contentType && !isJson(contentType) && !isText(contentType))
        return Buffer.from(payload, 'latin1');
    return originalSerialize(payload, contentType);
};

// 5. Query strings out: the forwarder rebuilds the query with URLSearchParams, which writes a
//    space as `+`. Servers that follow RFC 3986 (QUrlQuery, so switchboard-sim) read that as a
//    literal plus, so `q=Mia%20Lopez` would reach them as `q=Mia+Lopez`. Re-encode with %20.
const urlUtil = require(fromHttp('@stoplight/prism-http/dist/utils/url'));
must(typeof urlUtil.toURLSearchParams === 'function', 'toURLSearchParams');
const originalToParams = urlUtil.toURLSearchParams;
urlUtil.toURLSearchParams = (query) => {
    const params = originalToParams(query);
    params.toString = () => Array.from(params.entries())
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return params;
};
