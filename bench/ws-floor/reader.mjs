// Plain WebSocket reader of switchboard-sim's /v1/stream: the floor for bench_live_stream.
// It does the least a client must: parse each frame, drop duplicates by seq, count gaps.
//   node reader.mjs <base-url http://127.0.0.1:PORT/v1> <api-key> <seconds>
// Prints one JSON line with its figures when done.
import WebSocket from 'ws';

const [baseUrl, key, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 60);
const headers = { Authorization: `Bearer ${key}` };

async function liveCallIds() {
  const ids = [];
  for (const status of ['initiated', 'ringing', 'in_progress']) ids.push(...await callIds(status));
  return ids;
}

async function callIds(status) {
  const ids = [];
  let cursor = null;
  do {
    const url = new URL(`${baseUrl}/calls`);
    url.searchParams.set('status', status);
    url.searchParams.set('limit', '100');
    if (cursor) url.searchParams.set('cursor', cursor);
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`GET /calls: ${res.status}`);
    const body = await res.json();
    for (const call of body.data) ids.push(call.id);
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

const lastSeq = new Map();
let events = 0, duplicates = 0, gaps = 0, malformed = 0;
const serverLatency = [];   // ms, server ts -> parsed
const applyLatency = [];    // ns, frame received -> applied
const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/stream`, { headers });
let measuring = false;

function subscribe(callId) {
  ws.send(JSON.stringify({ type: 'subscribe', callId }));
}

ws.on('message', (data) => {
  const t0 = process.hrtime.bigint();
  let msg;
  try { msg = JSON.parse(data.toString()); } catch { malformed++; return; }
  if (msg.type === 'call.started' && msg.call && msg.call.id) { subscribe(msg.call.id); return; }
  if (typeof msg.seq !== 'number' || !msg.callId) return;
  const last = lastSeq.get(msg.callId) || 0;
  if (msg.seq <= last) { duplicates++; return; }
  if (msg.seq > last + 1) gaps++;
  lastSeq.set(msg.callId, msg.seq);
  if (!measuring) return;
  events++;
  serverLatency.push(Date.now() - msg.ts);
  applyLatency.push(Number(process.hrtime.bigint() - t0));
});

const pct = (arr, p) => {
  if (!arr.length) return 0;
  const s = Float64Array.from(arr).sort();
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

ws.on('open', async () => {
  ws.send(JSON.stringify({ type: 'subscribe', channel: 'calls' }));
  for (const id of await liveCallIds()) subscribe(id);
  // Let the replays of the calls already running pass before measuring, as the client does.
  setTimeout(() => {
    measuring = true;
    const cpu0 = process.cpuUsage();
    const wall0 = process.hrtime.bigint();
    setTimeout(() => {
      const cpu = process.cpuUsage(cpu0);
      const wallUs = Number(process.hrtime.bigint() - wall0) / 1000;
      console.log(JSON.stringify({
        events, duplicates, gaps, malformed,
        serverP50Ms: pct(serverLatency, 0.5), serverP99Ms: pct(serverLatency, 0.99),
        applyP50Us: pct(applyLatency, 0.5) / 1000, applyP99Us: pct(applyLatency, 0.99) / 1000,
        cpuPercent: 100 * (cpu.user + cpu.system) / wallUs,
      }));
      ws.close();
      process.exit(0);
    }, seconds * 1000);
  }, 3000);
});
ws.on('error', (err) => { console.error(`ws error: ${err.message}`); process.exit(1); });
ws.on('close', (code) => { if (!measuring) { console.error(`closed early: ${code}`); process.exit(1); } });
