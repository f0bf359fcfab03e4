#!/usr/bin/env node
// Writes a copy of the OpenAPI document whose paths carry the server's base path.
//
// Why: Prism 5.14 matches the raw request path against the document's path keys and ignores
// the base path of `servers` (it only looks at servers when a `__server` query is given), and
// its proxy forwards to <upstream origin + request path>. So a client talking to
// http://127.0.0.1:<port>/v1/agents can only be validated against the `/agents` operation if
// the paths Prism loads read `/v1/agents`. The operations, schemas and examples are unchanged.
//
// usage: node mount-doc.js <document.yaml> <out.json>   prints the base path (e.g. /v1)
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const [src, out] = process.argv.slice(2);
if (!src || !out) {
    console.error('usage: mount-doc.js <document.yaml> <out.json>');
    process.exit(2);
}
const doc = yaml.safeLoad(fs.readFileSync(src, 'utf8'));
const first = (doc.servers && doc.servers[0] && doc.servers[0].url) || '/';
// Server variables ({port}) can only appear in the origin part of our server urls.
const basePath = new URL(first.replace(/\{[^}]*\}/g, '1')).pathname.replace(/\/+$/, '');

// A path item with servers of its own (SpeakNode's hub negotiate lives on the API origin, outside
// /api/v1) is mounted under the base path of its own first server instead.
const baseOf = url => new URL(url.replace(/\{[^}]*\}/g, '1')).pathname.replace(/\/+$/, '');
const paths = {};
for (const [key, item] of Object.entries(doc.paths || {})) {
    const own = item && item.servers && item.servers[0] && item.servers[0].url;
    paths[(own ? baseOf(own) : basePath) + key] = item;
}
doc.paths = paths;
// Remembered so prism-proxy can strip it from the upstream url when it reuses a cached copy.
doc['x-switchboard-base-path'] = basePath;
// Servers without the base path, so a `__server` match (if ever used) agrees with the new paths.
doc.servers = (doc.servers || []).map(s => Object.assign({}, s, {
    url: basePath && s.url.endsWith(basePath) ? s.url.slice(0, -basePath.length) : s.url,
}));

// Write then rename: several proxies may start at once and must never read a half-written file.
fs.mkdirSync(path.dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
fs.writeFileSync(tmp, JSON.stringify(doc, null, 1));
fs.renameSync(tmp, out);
process.stdout.write(`${basePath}\n`);
