#!/usr/bin/env node
// Makes @tensorflow/tfjs-node (native TensorFlow kernels) work on machines whose
// only network access is the npm registry. Run by `npm ci` / `npm install`
// (package.json `postinstall`) or by hand: `node scripts/install-tfjs-node.mjs`.
//
// tfjs-node's own install script downloads libtensorflow from
// storage.googleapis.com; without internet it fails and npm silently drops the
// optional dependency. Offline, this script instead:
//   1. takes the TensorFlow C API from the `tensorflow-cpu` wheel that pip serves
//      (libtensorflow_cc.so.2 exports the TF_*/TFE_* symbols) and repackages it as
//      the libtensorflow tarball tfjs-node expects (cached, so re-runs are fast);
//   2. serves that tarball on 127.0.0.1 and runs
//      `npm install --no-save @tensorflow/tfjs-node@<version>` with
//      TFJS_NODE_BASE_URI pointing at it; node-pre-gyp takes the N-API addon
//      from the cache if an earlier run built it, else compiles it (and this
//      script caches the result);
//   3. smoke-tests it (backend 'tensorflow', a matMul).
// It never fails the surrounding `npm ci`: on any problem it prints one line
// saying trainers fall back to wasm, and exits 0.
//
// Env: NNC_SKIP_TFJS_NODE=1 (or `npm ci --omit=optional`) skips everything; TF_WHEEL=<path> uses that wheel;
//      NNC_CACHE_DIR overrides the cache (default ~/.cache/nnc/tfjs-node).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { arch, homedir, platform } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';

const TFJS_NODE_VERSION = '4.22.0';
const TF_WHEEL_VERSION = '2.21.0';
// tfjs-node 4.x hard-codes libtensorflow 2.9.1 in the file name it downloads.
const TARBALL_NAME = 'libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz';
const GUARD = 'NNC_TFJS_NODE_INSTALLING';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.NNC_CACHE_DIR
  ? resolve(process.env.NNC_CACHE_DIR)
  : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nnc', 'tfjs-node');
const started = Date.now();

const log = (msg) => console.log(`[nnc tfjs-node] ${msg}`);
const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;

class SetupError extends Error {}

async function main() {
  if (process.env.NNC_SKIP_TFJS_NODE === '1') {
    log('skipped (NNC_SKIP_TFJS_NODE=1); trainers will use the wasm backend');
    return;
  }
  if (process.env[GUARD]) return; // we are the nested `npm install` started below
  if (/(^|[\s,])optional($|[\s,])/.test(process.env.npm_config_omit || '')) {
    log('skipped (optional dependencies omitted); trainers will use the wasm backend');
    return;
  }
  const before = smokeTest();
  if (before.ok) {
    log(`already working (${before.detail})`);
    return;
  }
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new SetupError(`tfjs-node did not install and the offline build supports only linux-x64 (this is ${platform()}-${arch()})`);
  }
  for (const tool of ['python3', 'g++', 'make', 'tar']) {
    if (!onPath(tool)) throw new SetupError(`the offline build needs \`${tool}\`, which is not installed`);
  }
  log(`not installed; building it offline (cache: ${cacheDir})`);
  mkdirSync(cacheDir, { recursive: true });
  const tarball = await ensureTarball();
  const cachedAddon = existsSync(addonCacheDir());
  await npmInstallWith(tarball);
  let after = smokeTest();
  if (!after.ok && cachedAddon) {
    log(`the cached addon does not work (${after.detail}); compiling it again`);
    rmSync(addonCacheDir(), { recursive: true, force: true });
    await npmInstallWith(tarball);
    after = smokeTest();
  }
  if (!after.ok) throw new SetupError(`installed, but the smoke test failed: ${after.detail}`);
  cacheAddon();
  log(`ready in ${elapsed()} (${after.detail})`);
}

/** Built addons, laid out as node-pre-gyp downloads them: napi-v<N>/<version>/CPU-linux-<version>.tar.gz. */
function addonCacheDir() {
  return join(cacheDir, 'addon');
}

/** Keeps a freshly compiled addon so later installs (fresh clones, CI) skip the compile. */
function cacheAddon() {
  const lib = join(root, 'node_modules', '@tensorflow', 'tfjs-node', 'lib');
  try {
    for (const napi of readdirSync(lib).filter((d) => /^napi-v\d+$/.test(d))) {
      const dir = join(addonCacheDir(), napi, TFJS_NODE_VERSION);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `CPU-linux-${TFJS_NODE_VERSION}.tar.gz`);
      if (existsSync(file)) continue;
      run('tar', ['-C', lib, '-czf', `${file}.${process.pid}.tmp`, napi]);
      renameSync(`${file}.${process.pid}.tmp`, file);
    }
  } catch (e) {
    log(`note: could not cache the compiled addon (${e.message})`);
  }
}

/** Loads tfjs-node in a child process (a broken native addon must not crash us). */
function smokeTest() {
  const script = `
    const tf = require('@tensorflow/tfjs-node');
    const m = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])).arraySync();
    const ok = tf.getBackend() === 'tensorflow' && JSON.stringify(m) === '[[19,22],[43,50]]';
    console.log(JSON.stringify({ ok, detail: 'backend ' + tf.getBackend() + ', libtensorflow ' + tf.backend().binding.TF_Version + ', matMul ' + (ok ? 'ok' : JSON.stringify(m)) }));`;
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const line = (r.stdout || '').trim().split('\n').pop() || '';
  try {
    return JSON.parse(line);
  } catch {
    const why = (r.stderr || '').split('\n').find((l) => /Error|error/.test(l)) || `exit ${r.status}`;
    return { ok: false, detail: why.trim().slice(0, 200) };
  }
}

function onPath(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-5).join(' | ');
    throw new SetupError(`\`${cmd} ${args.join(' ')}\` failed: ${r.error?.message || out || `exit ${r.status}`}`);
  }
  return r.stdout;
}

/** The repackaged libtensorflow tarball, built once and cached. */
async function ensureTarball() {
  const tarball = join(cacheDir, TARBALL_NAME);
  if (existsSync(tarball) && statSync(tarball).size > 0) {
    log(`using cached ${TARBALL_NAME}`);
    return tarball;
  }
  const wheel = findWheel();
  log(`repackaging ${basename(wheel)}`);
  const stage = join(cacheDir, `stage-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  try {
    // python3 (needed by node-gyp anyway) unzips only what we need from the 270 MB wheel.
    run('python3', ['-c', UNZIP_PY, wheel, join(stage, 'whl')]);
    const tfDir = join(stage, 'whl', 'tensorflow');
    const pkg = join(stage, 'pkg');
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    renameSync(join(tfDir, 'include'), join(pkg, 'include'));
    const libs = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
    if (onPath('nm')) {
      // The addon links against the C API: make sure this wheel exports it.
      const syms = run('nm', ['-D', '--defined-only', ...libs.map((l) => join(tfDir, l))], { maxBuffer: 1 << 30 });
      for (const sym of ['TFE_NewContext', 'TFE_Execute', 'TF_NewTensor', 'TF_Version']) {
        if (!new RegExp(` ${sym}(@|$)`, 'm').test(syms)) throw new SetupError(`the wheel does not export the C API symbol ${sym}`);
      }
    }
    for (const lib of libs) {
      // Dropping the static symbol table saves ~200 MB; the dynamic symbols stay.
      if (onPath('strip')) run('strip', ['--strip-unneeded', '-o', join(pkg, 'lib', lib), join(tfDir, lib)]);
      else renameSync(join(tfDir, lib), join(pkg, 'lib', lib));
    }
    // The names tfjs-node's install.js and binding.gyp look for.
    const links = {
      'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
      'libtensorflow.so.2': 'libtensorflow_cc.so.2',
      'libtensorflow.so': 'libtensorflow_cc.so.2',
      'libtensorflow_framework.so.2.9.1': 'libtensorflow_framework.so.2',
      'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
    };
    for (const [name, target] of Object.entries(links)) symlinkSync(target, join(pkg, 'lib', name));
    const tmp = `${tarball}.${process.pid}.tmp`;
    const tar = spawn('tar', ['-C', pkg, '-cf', '-', 'include', 'lib'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const tarDone = new Promise((res, rej) => tar.on('close', (code) => (code === 0 ? res() : rej(new SetupError(`tar exited with ${code}`)))));
    await pipeline(tar.stdout, createGzip({ level: 1 }), createWriteStream(tmp));
    await tarDone;
    renameSync(tmp, tarball);
    // An addon compiled against an earlier tarball is not to be trusted with this one.
    rmSync(addonCacheDir(), { recursive: true, force: true });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  // The wheel is only an intermediate; the tarball is what re-runs need.
  if (!process.env.TF_WHEEL) rmSync(join(cacheDir, 'wheel'), { recursive: true, force: true });
  log(`${TARBALL_NAME} ready (${Math.round(statSync(tarball).size / 1e6)} MB) after ${elapsed()}`);
  return tarball;
}

const UNZIP_PY = `
import sys, zipfile
whl, out = sys.argv[1], sys.argv[2]
keep = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
inc = ("tensorflow/include/tensorflow/c/", "tensorflow/include/tensorflow/core/platform/ctstring",
       "tensorflow/include/tsl/", "tensorflow/include/xla/tsl/c/")
with zipfile.ZipFile(whl) as z:
    names = [n for n in z.namelist() if n in keep or (n.startswith(inc) and n.endswith(".h"))]
    missing = [k for k in keep if k not in names]
    if missing:
        sys.exit("wheel lacks %s" % missing)
    for n in names:
        z.extract(n, out)
`;

function findWheel() {
  if (process.env.TF_WHEEL) {
    if (!existsSync(process.env.TF_WHEEL)) throw new SetupError(`TF_WHEEL=${process.env.TF_WHEEL} does not exist`);
    return process.env.TF_WHEEL;
  }
  const dir = join(cacheDir, 'wheel');
  const cached = () => (existsSync(dir) ? readdirSync(dir).filter((f) => /^tensorflow_cpu-.*\.whl$/.test(f)) : []);
  if (cached().length === 0) {
    log(`downloading tensorflow-cpu==${TF_WHEEL_VERSION} with pip`);
    run('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', `tensorflow-cpu==${TF_WHEEL_VERSION}`, '-d', dir]);
  }
  const found = cached();
  if (found.length === 0) throw new SetupError(`pip did not provide a tensorflow_cpu wheel in ${dir}`);
  return join(dir, found[0]);
}

/** Serves the tarball on 127.0.0.1 while npm installs tfjs-node against it. */
async function npmInstallWith(tarball) {
  const server = createServer((req, res) => {
    if (basename((req.url || '').split('?')[0]) !== TARBALL_NAME) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': statSync(tarball).size });
    createReadStream(tarball).pipe(res);
  });
  await new Promise((res, rej) => server.once('error', rej).listen(0, '127.0.0.1', res));
  const { port } = server.address();
  try {
    // A half-installed copy (e.g. addon missing) would make npm think there is nothing to do.
    rmSync(join(root, 'node_modules', '@tensorflow', 'tfjs-node'), { recursive: true, force: true });
    const env = {
      ...process.env,
      [GUARD]: '1',
      TFJS_NODE_BASE_URI: `http://127.0.0.1:${port}/libtensorflow-`,
      // node-pre-gyp looks for a prebuilt addon here (file:// is read locally) and compiles it on a miss.
      npm_config_tfjs_binding_binary_host_mirror: `${pathToFileURL(addonCacheDir()).href}/`,
    };
    // tfjs-node's downloader sends everything through an HTTP(S)_PROXY if one is set,
    // which cannot reach 127.0.0.1; npm itself keeps the proxy via npm_config_*.
    for (const [v, cfg] of [['HTTPS_PROXY', 'https_proxy'], ['https_proxy', 'https_proxy'], ['HTTP_PROXY', 'proxy'], ['http_proxy', 'proxy']]) {
      if (env[v]) {
        env[`npm_config_${cfg}`] ??= env[v];
        delete env[v];
      }
    }
    // node-gyp must find Node's headers locally (it would otherwise download them).
    if (!env.npm_config_nodedir) {
      const prefix = dirname(dirname(process.execPath));
      if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
    }
    const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : null;
    const [cmd, args] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
    args.push('install', '--no-save', '--no-audit', '--no-fund', '--foreground-scripts', `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`);
    const logFile = join(cacheDir, 'npm-install.log');
    const how = existsSync(addonCacheDir()) ? 'with the cached addon' : 'compiling the addon';
    log(`npm install @tensorflow/tfjs-node@${TFJS_NODE_VERSION} (${how}; log: ${logFile})`);
    const out = createWriteStream(logFile);
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const code = await new Promise((res) => child.on('close', res));
    await new Promise((res) => out.end(res));
    const addonDir = join(root, 'node_modules', '@tensorflow', 'tfjs-node', 'lib');
    const built = existsSync(addonDir) && readdirSync(addonDir).some((d) => existsSync(join(addonDir, d, 'tfjs_binding.node')));
    if (code !== 0 || !built) throw new SetupError(`npm install of tfjs-node failed (exit ${code}${built ? '' : ', addon not built'}); see ${logFile}`);
  } finally {
    server.close();
  }
}

try {
  await main();
} catch (e) {
  const why = e instanceof SetupError ? e.message : `unexpected error: ${e?.stack || e}`;
  log(`${why}; tfjs-node is not available, trainers will fall back to the wasm backend (${elapsed()})`);
  // Leave no half-installed package behind: a present-but-broken tfjs-node would only slow every trainer's start.
  if (!smokeTest().ok) rmSync(join(root, 'node_modules', '@tensorflow', 'tfjs-node'), { recursive: true, force: true });
}
process.exit(0);
