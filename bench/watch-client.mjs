// A child process of bench/watch.mjs holding N HTTP watch streams on one collection and timing each event.
//
// Protocol over IPC: the parent sends {start: {port, dataDir, path, watchers}}; the child opens the watches and
// answers {ready: n} once every stream has its 200 response head. For each event it answers {got: name} once
// all of its streams received that event. On {finish: true} it sends {times: {name: [ns, ...]}} (the
// process.hrtime.bigint() of each stream's receipt, as numbers: CLOCK_MONOTONIC, comparable across processes
// on one machine), plus its own CPU use, and exits.
//
// The receipt time is taken when the chunk holding the end of the event's line reaches the 'data' handler,
// before the line is parsed, so JSON parsing is not counted; TLS decryption of the stream still is (it runs
// before 'data'), and so is the wait while this process serves its other streams.
import { Agent, request } from 'node:https';
import { kinTls } from './common.mjs';

const nameRe = /"metadata":\{"name":"([^"]+)"/;
const times = new Map(); // name -> number[]
let watchers = 0;
let cpu0;

function onLine(line, t) {
  const m = nameRe.exec(line);
  if (!m || !line.startsWith('{"type":"ADDED"')) return;
  let arr = times.get(m[1]);
  if (!arr) times.set(m[1], (arr = []));
  arr.push(t);
  if (arr.length === watchers) process.send({ got: m[1] });
}

function openWatch(agent, port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const t = Number(process.hrtime.bigint());
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl), t);
          buf = buf.slice(nl + 1);
        }
      });
      res.on('error', () => undefined);
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}

process.on('message', async (msg) => {
  if (msg.start) {
    const { port, dataDir, path, watchers: n } = msg.start;
    watchers = n;
    const tls = kinTls(dataDir);
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity, ca: tls.ca, cert: tls.cert, key: tls.key, servername: 'localhost' });
    try {
      // Open in small groups so the server is not hit by hundreds of handshakes at once.
      for (let i = 0; i < n; i += 25) {
        await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => openWatch(agent, port, path)));
      }
    } catch (err) {
      process.send({ error: err.message });
      return;
    }
    cpu0 = process.cpuUsage();
    process.send({ ready: n });
  } else if (msg.finish) {
    const cpu = process.cpuUsage(cpu0);
    process.send({ times: Object.fromEntries(times), cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
