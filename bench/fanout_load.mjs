// Load generator for bench/bench_fanout.py, written with socket.io-client (the client the browser uses).
//
// load mode: R rooms of 8; in each, one drawer streams `rate` batches/s of 8 points and the other 7 measure
// draw-to-peer latency (the drawer and the peers share this process, so one clock times both ends).
// idle mode: N connections (optionally seated in rooms of 8) that send nothing, held while the caller
// samples the server's memory. Prints one JSON line. Loopback only.
//
//   node fanout_load.mjs --target ours|node --urls http://127.0.0.1:8081[,http://...] --rooms 20
//        --duration 8 [--warmup 2] [--drain 2] [--rate 30] [--mode load|idle] [--conns 1000] [--seat 1]

import { performance } from "node:perf_hooks";
import { io } from "socket.io-client";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const target = args.target || "ours";
const urls = (args.urls || "http://127.0.0.1:8081").split(",");
const rooms = Number(args.rooms || 10);
const duration = Number(args.duration || 8) * 1000;
const warmup = Number(args.warmup || 2) * 1000;
const drain = Number(args.drain || 2) * 1000;
const rate = Number(args.rate || 30);
const mode = args.mode || "load";
const PER_ROOM = 8;
const POINTS = 8;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function connect(url) {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ["websocket"], forceNew: true, reconnection: false,
                        auth: { protocol: 1 }, timeout: 20000 });
    s.lastState = null;
    s.on("state", (v) => { if (!s.lastState || v.rev >= s.lastState.rev) s.lastState = v; });
    s.once("connect", () => resolve(s));
    s.once("connect_error", (e) => reject(e));
  });
}

function call(sock, event, data, timeout = 20000) {
  return new Promise((resolve, reject) => {
    sock.timeout(timeout).emit(event, data, (err, ack) => (err ? reject(err) : resolve(ack)));
  });
}

async function must(sock, event, data) {
  const ack = await call(sock, event, data);
  if (target === "ours" && !(ack && ack.ok)) throw new Error(`${event}: ${JSON.stringify(ack)}`);
  return ack;
}

// Seat 8 clients in one room; returns {drawer, peers, key}. Our server runs the game flow (create, join,
// start, the drawer picks a word); the Node relay only joins a Socket.IO room.
async function makeRoom(r, seat = true) {
  const socks = [];
  for (let j = 0; j < PER_ROOM; j++) socks.push(await connect(urls[(r + j) % urls.length]));
  if (!seat) return { socks };
  if (target === "node") {
    for (const s of socks) await must(s, "join", { room: `room${r}` });
    return { socks, drawer: socks[0], peers: socks.slice(1), key: null };
  }
  const created = await must(socks[0], "create_room",
    { name: "P0", settings: { ai_player: false, draw_time: 240, max_players: PER_ROOM } });
  const code = created.code;
  const ids = [created.player_id];
  for (let j = 1; j < PER_ROOM; j++) ids.push((await must(socks[j], "join_room", { code, name: `P${j}` })).player_id);
  if (mode === "idle") return { socks };
  await must(socks[0], "start_game", {});
  const view = await until(() => socks[0].lastState && socks[0].lastState.drawer_id && socks[0].lastState);
  const d = ids.indexOf(view.drawer_id);
  await must(socks[d], "choose_word", { index: 0 });
  const drawing = await until(() => socks[d].lastState && socks[d].lastState.phase === "drawing" && socks[d].lastState);
  return { socks, drawer: socks[d], peers: socks.filter((_, j) => j !== d), key: drawing.turn.key };
}

async function until(pred, timeout = 20000) {
  const end = performance.now() + timeout;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (performance.now() > end) throw new Error("timed out waiting for the game to start");
    await sleep(10);
  }
}

function rss() {
  return Math.round(process.memoryUsage().rss / 1048576);
}

async function setupAll(n, seat) {
  const out = [];
  const batch = 10; // rooms set up concurrently
  for (let r = 0; r < n; r += batch) {
    out.push(...await Promise.all(Array.from({ length: Math.min(batch, n - r) }, (_, k) => makeRoom(r + k, seat))));
  }
  return out;
}

async function idle() {
  const conns = Number(args.conns || 1000);
  const seat = args.seat !== "0";
  const t0 = performance.now();
  const all = await setupAll(Math.ceil(conns / PER_ROOM), seat);
  const socks = all.flatMap((r) => r.socks);
  console.log(JSON.stringify({ ready: true, conns: socks.length, seconds: (performance.now() - t0) / 1000 }));
  await sleep(Number(args.hold || 4) * 1000);
  for (const s of socks) s.close();
  console.log(JSON.stringify({ done: true }));
  process.exit(0);
}

async function load() {
  const t0 = performance.now();
  const setup = await setupAll(rooms, true);
  const setupS = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ ready: true, setup_s: setupS }));
  const sent = setup.map(() => new Map()); // room -> seq -> send time (ms)
  const lat = [];
  let received = 0;
  let errors = 0;
  let retries = 0;
  let measuring = false;
  const windowSeqs = setup.map(() => new Set());
  setup.forEach((room, r) => {
    for (const p of room.peers) {
      const seen = new Set();
      p.on("draw", (msg) => {
        const at = performance.now();
        if (seen.has(msg.seq)) return; // a re-relay of a retried batch: counted once
        seen.add(msg.seq);
        if (windowSeqs[r].has(msg.seq)) {
          received += 1;
          lat.push(at - sent[r].get(msg.seq));
        }
      });
    }
  });
  // Drawers: each room's ticks are spread over the period so rooms do not send in lockstep.
  const period = 1000 / rate;
  const timers = [];
  const stopAt = performance.now() + warmup + duration;
  const measureFrom = performance.now() + warmup;
  // As web_client's DrawSender: a batch refused as `unavailable` (or unanswered) is sent again, same seq.
  const send = (drawer, data, attempt) => {
    call(drawer, "draw", data, 5000).then((ack) => {
      if (target !== "ours" || (ack && ack.ok)) return;
      if (ack && ack.error && ack.error.code === "unavailable" && attempt < 3) {
        retries += 1;
        setTimeout(() => send(drawer, data, attempt + 1), 250 * (attempt + 1));
      } else errors += 1;
    }, () => {
      if (attempt < 3) { retries += 1; send(drawer, data, attempt + 1); } else errors += 1;
    });
  };
  setup.forEach((room, r) => {
    let seq = 0;
    let stroke = 0;
    let x = 10;
    const tick = () => {
      const now = performance.now();
      if (now >= stopAt) return;
      const pts = Array.from({ length: POINTS }, (_, i) => [(x + i) % 790, (seq * 3 + i) % 590]);
      x = (x + POINTS) % 700;
      const op = seq % 30 === 0
        ? { type: "stroke", id: ++stroke, tool: "pen", color: "#112233", width: 4, points: pts }
        : { type: "points", id: stroke, points: pts };
      const data = { seq, ops: [op], turn: room.key };
      sent[r].set(seq, now);
      if (now >= measureFrom) windowSeqs[r].add(seq);
      seq += 1;
      send(room.drawer, data, 0);
    };
    const start = setTimeout(() => { tick(); timers.push(setInterval(tick, period)); }, (r * period) / rooms);
    timers.push(start);
  });
  await sleep(warmup + duration + drain);
  timers.forEach((t) => clearInterval(t));
  const expected = windowSeqs.reduce((n, s) => n + s.size * (PER_ROOM - 1), 0);
  lat.sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : null);
  const result = { rooms, expected, delivered: received, ack_errors: errors, retries, p50: q(0.5), p99: q(0.99),
                   max: lat.length ? lat[lat.length - 1] : null, gen_rss_mb: rss(), setup_s: setupS };
  console.log(JSON.stringify(result));
  for (const room of setup) room.socks.forEach((s) => s.close());
  process.exit(0);
}

(mode === "idle" ? idle() : load()).catch((e) => {
  console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) }));
  process.exit(1);
});
