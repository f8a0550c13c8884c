// The reference for bench/bench_fanout.py: the minimal Node.js Socket.IO relay a team would write instead
// of our server. `join {room}` puts the socket in a room; `draw {seq, ops}` is acknowledged and relayed to
// the rest of the room with socket.to(room).emit, tagged with a running index (as ours does). No storage,
// no validation, no ordering, no late joiners. Socket.IO 4 defaults (per-message deflate off).
//
//   node node_relay.mjs --port 8090

import { createServer } from "node:http";
import { Server } from "socket.io";

const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8090;
const httpServer = createServer();
const io = new Server(httpServer, { transports: ["websocket"], maxHttpBufferSize: 256 * 1024 });
const lengths = new Map(); // room -> ops relayed so far

io.on("connection", (socket) => {
  socket.on("join", (data, ack) => {
    const room = data && typeof data.room === "string" ? data.room : null;
    if (!room) return typeof ack === "function" && ack({ ok: false });
    socket.join(room);
    socket.data.room = room;
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("draw", (data, ack) => {
    const room = socket.data.room;
    if (!room || !data || !Array.isArray(data.ops)) return typeof ack === "function" && ack({ ok: false });
    const index = lengths.get(room) || 0;
    lengths.set(room, index + data.ops.length);
    socket.to(room).emit("draw", { seq: data.seq, ops: data.ops, index });
    if (typeof ack === "function") ack({ ok: true, index });
  });
});

httpServer.listen(port, "127.0.0.1", () => console.log(JSON.stringify({ listening: port })));
