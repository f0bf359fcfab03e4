#!/usr/bin/env node
// The official @microsoft/signalr client against switchboard-sim's SpeakNode hub
// (CONTRACT §2.3, docs/SIM-INTERFACE.md). Needs a running simulator:
//   node hub-test.js --origin http://127.0.0.1:PORT --token TOKEN_ORG_A --other-token TOKEN_ORG_B
// (run-hub-test starts one and passes its start-up lines). Exits 0 when every check passed.
'use strict';

const crypto = require('crypto');
const signalR = require('@microsoft/signalr');

function args() {
    const out = {};
    const a = process.argv.slice(2);
    for (let i = 0; i < a.length; i += 2) {
        if (!a[i].startsWith('--') || a[i + 1] === undefined)
            throw new Error(`bad argument ${a[i]}`);
        out[a[i].slice(2)] = a[i + 1];
    }
    for (const k of ['origin', 'token', 'other-token'])
        if (!out[k])
            throw new Error(`--${k} is required`);
    return out;
}

const opt = args();
const hubUrl = `${opt.origin}/hubs/notifications`;
const api = `${opt.origin}/api/v1`;
let failures = 0;
function check(ok, what) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok)
        failures++;
}
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function waitFor(pred, ms, what) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        if (pred())
            return true;
        await sleep(50);
    }
    check(false, `timed out after ${ms} ms waiting for ${what}`);
    return false;
}

async function rest(method, path, token, body) {
    const r = await fetch(`${api}${path}`, {
        method,
        headers: Object.assign({ Authorization: `Bearer ${token}` },
                               body ? { 'Content-Type': 'application/json' } : {}),
        body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
}

function connection(token, extra = {}) {
    const b = new signalR.HubConnectionBuilder()
        .withUrl(hubUrl, Object.assign({
            accessTokenFactory: () => token,
            transport: signalR.HttpTransportType.WebSockets,
        }, extra))
        .configureLogging(signalR.LogLevel.Warning);
    return b;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = ['Pending', 'Dispatching', 'Active', 'Completed', 'Failed'];
const RANK = { Pending: 0, Dispatching: 1, Active: 2, Completed: 3, Failed: 3 };

function checkSession(s) {
    const problems = [];
    if (typeof s !== 'object' || s === null)
        return ['not an object'];
    if (!UUID.test(s.id)) problems.push(`id ${s.id}`);
    if (!UUID.test(s.agent_id)) problems.push(`agent_id ${s.agent_id}`);
    if (typeof s.agent_title !== 'string') problems.push('agent_title');
    if (!STATUSES.includes(s.status)) problems.push(`status ${s.status}`);
    if (typeof s.created_at !== 'string' || isNaN(Date.parse(s.created_at)))
        problems.push('created_at');
    const ended = s.status === 'Completed' || s.status === 'Failed';
    // The OpenAPI document: a number once the session ended, null before.
    if (ended ? typeof s.duration_seconds !== 'number' : s.duration_seconds !== null)
        problems.push(`duration_seconds ${s.duration_seconds} while ${s.status}`);
    for (const k of ['from_number', 'to_number'])
        if (!/^\+\d{6,15}$/.test(s[k])) problems.push(k);
    if (typeof s.has_audio !== 'boolean') problems.push('has_audio');
    if (s.status === 'Active' && !s.started_at) problems.push('Active without started_at');
    if (ended && !s.ended_at)
        problems.push('final without ended_at');
    if (s.status === 'Failed' && !s.error_message) problems.push('Failed without error_message');
    if (Object.keys(s).some(k => /[A-Z]/.test(k))) problems.push('a key is not snake_case');
    return problems;
}

async function pkceToken() {
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://127.0.0.1:9/callback';
    const auth = new URL(`${opt.origin}/realms/speaknode/protocol/openid-connect/auth`);
    auth.search = new URLSearchParams({
        client_id: 'switchboard', response_type: 'code', redirect_uri: redirect,
        scope: 'openid offline_access', state: 'hub-test', code_challenge: challenge,
        code_challenge_method: 'S256',
    }).toString();
    const r = await fetch(auth, { redirect: 'manual' });
    const code = new URL(r.headers.get('location')).searchParams.get('code');
    const t = await fetch(`${opt.origin}/realms/speaknode/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
            grant_type: 'authorization_code', code, redirect_uri: redirect,
            client_id: 'switchboard', code_verifier: verifier,
        }).toString(),
    });
    return (await t.json()).access_token;
}

async function main() {
    // Negotiate refuses a missing or wrong token; the official client reports the 401.
    const raw = await fetch(`${hubUrl}/negotiate?negotiateVersion=1`, { method: 'POST' });
    check(raw.status === 401, `negotiate without a token answers 401 (got ${raw.status})`);
    const bad = connection('not-a-token').build();
    let refused = '';
    await bad.start().catch(e => { refused = String(e && e.message); });
    check(/401|Unauthorized/i.test(refused), `the client is refused with a bad token (${refused})`);

    const a = connection(opt.token).withAutomaticReconnect([0, 200, 500, 1000]).build();
    const b = connection(opt['other-token']).build();
    const events = new Map(); // session id -> [session]
    let otherOrgEvents = [];
    a.on('AgentSessionUpdated', (...argv) => {
        check(argv.length === 1, 'AgentSessionUpdated carries exactly one argument');
        const s = argv[0];
        if (!events.has(s.id))
            events.set(s.id, []);
        events.get(s.id).push(s);
    });
    b.on('AgentSessionUpdated', s => otherOrgEvents.push(s.id));
    await a.start();
    await b.start();
    check(a.state === signalR.HubConnectionState.Connected, 'connected with org A\'s token');
    check(b.state === signalR.HubConnectionState.Connected, 'connected with org B\'s token');

    // Dispatch calls with each outcome the live engine plays.
    const agents = (await rest('GET', '/agents', opt.token)).json;
    const agentList = Array.isArray(agents) ? agents : agents.items;
    const numbers = (await rest('GET', '/phone-numbers', opt.token)).json;
    const numberList = Array.isArray(numbers) ? numbers : numbers.items;
    const from = numberList[0].number;
    const outcomes = ['answered', 'no_answer', 'failed'];
    const dispatched = {};
    for (const [i, outcome] of outcomes.entries()) {
        const r = await rest('POST', '/conversations/dispatch', opt.token, {
            agent_id: agentList[i % agentList.length].id, from_number: from,
            to_number: `+1415555${String(1000 + i)}`,
            dynamic_variables: { sim_outcome: outcome },
        });
        check(r.status === 201, `dispatch (${outcome}) answers 201 (got ${r.status})`);
        dispatched[r.json.id] = outcome;
    }
    const ids = Object.keys(dispatched);
    const final = s => s.status === 'Completed' || s.status === 'Failed';
    await waitFor(() => ids.every(id => (events.get(id) || []).some(final)), 120000,
                  'every dispatched session to end');
    for (const id of ids) {
        const seen = events.get(id) || [];
        const statuses = seen.map(s => s.status);
        console.log(`     ${dispatched[id]}: ${statuses.join(' -> ')}`);
        check(seen.length >= 2, `${dispatched[id]}: at least created and ended were sent`);
        const shapes = seen.map(checkSession).filter(p => p.length);
        check(shapes.length === 0, `${dispatched[id]}: every payload has the session shape ${
            JSON.stringify(shapes)}`);
        check(statuses.every((s, i) => i === 0 || RANK[s] > RANK[statuses[i - 1]]),
              `${dispatched[id]}: statuses only move forward, each change once`);
        check(seen.every(s => s.id === id), `${dispatched[id]}: ids match the dispatched session`);
        const last = seen[seen.length - 1];
        const want = dispatched[id] === 'answered' ? 'Completed' : 'Failed';
        check(last.status === want, `${dispatched[id]}: ends ${want} (got ${last.status})`);
        if (dispatched[id] === 'answered')
            check(statuses.includes('Active'), 'answered: went through Active');
        const rest1 = await rest('GET', `/conversations/${id}`, opt.token);
        check(rest1.status === 200 && rest1.json.status === last.status &&
                  rest1.json.ended_at === last.ended_at,
              `${dispatched[id]}: the last event agrees with GET /conversations/{id}`);
    }
    check(ids.every(id => !otherOrgEvents.includes(id)),
          'the other organization saw none of these sessions');

    // A server close that allows a reconnect: the client reconnects (negotiating again).
    let reconnectingError = null;
    let reconnected = false;
    a.onreconnecting(e => { reconnectingError = e ? e.message : ''; });
    a.onreconnected(() => { reconnected = true; });
    const before = a.connectionId;
    let r = await fetch(`${opt.origin}/_sim/signalr/close`, {
        method: 'POST', body: JSON.stringify({ error: 'maintenance', allowReconnect: true }),
    });
    check(r.status === 200, 'admin close answers 200');
    await waitFor(() => reconnected, 10000, 'the reconnect after a close that allows it');
    check(/maintenance/.test(reconnectingError || ''),
          `the client saw the server's close error (${reconnectingError})`);
    check(a.connectionId && a.connectionId !== before, 'the reconnect negotiated a new connection');
    // Still delivering after the reconnect.
    const again = await rest('POST', '/conversations/dispatch', opt.token, {
        agent_id: agentList[0].id, from_number: from, to_number: '+14155559999',
        dynamic_variables: { sim_outcome: 'busy' },
    });
    await waitFor(() => (events.get(again.json.id) || []).some(final), 60000,
                  'events after the reconnect');

    // A close that forbids a reconnect ends the connection with the error.
    let closeError;
    const closed = new Promise(res => a.onclose(e => { closeError = e; res(); }));
    const bClosed = new Promise(res => b.onclose(() => res()));
    r = await fetch(`${opt.origin}/_sim/signalr/close`, {
        method: 'POST', body: JSON.stringify({ error: 'shutting down', allowReconnect: false }),
    });
    await Promise.race([Promise.all([closed, bClosed]), sleep(10000)]);
    check(a.state === signalR.HubConnectionState.Disconnected && !reconnectingError.includes('shut'),
          'a close without reconnect ends the connection');
    check(closeError && /shutting down/.test(closeError.message),
          `onclose carries the server's error (${closeError && closeError.message})`);

    // A realm token that expires while connected: the hub closes with a close message.
    const realm = await pkceToken();
    check(typeof realm === 'string' && realm.length > 10, 'got an access token from the realm');
    const c = connection(realm).build();
    let expiredError;
    const cClosed = new Promise(res => c.onclose(e => { expiredError = e; res(); }));
    await c.start();
    check(c.state === signalR.HubConnectionState.Connected, 'connected with a realm token');
    r = await fetch(`${opt.origin}/_sim/speaknode/expire-access-tokens`, { method: 'POST' });
    check(r.status === 204, 'expire-access-tokens answers 204');
    await Promise.race([cClosed, sleep(5000)]);
    check(c.state === signalR.HubConnectionState.Disconnected &&
              /expired|Unauthorized/i.test(expiredError && expiredError.message),
          `an expired token closes the connection (${expiredError && expiredError.message})`);
}

main().then(() => {
    console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
    console.log(`@microsoft/signalr ${require('@microsoft/signalr/package.json').version}`);
    process.exit(failures ? 1 : 0);
}, e => {
    console.log(`FAIL ${e && e.stack}`);
    process.exit(2);
});
