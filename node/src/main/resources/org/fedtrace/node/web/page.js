// The transparency page's checks (spec transparency.md §14.5, R16.14): the checkpoint's Ed25519
// signature over its C2SP note text, and the consistency of the new checkpoint with the one this
// browser kept (RFC 9162 §2.1.4.2), with the kept checkpoint in localStorage. Nothing here loads
// from another site.
"use strict";

const API = "api/v1/";
const KEPT = "fedtrace.checkpoint:";
const enc = new TextEncoder();

class VerificationError extends Error {}

function $(id) { return document.getElementById(id); }

function b64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toB64(bytes) { return btoa(String.fromCharCode(...bytes)); }

function hex(bytes) { return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join(""); }

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }

function interior(left, right) { return sha256(concat([1], left, right)); }

async function get(path) {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(API + path, { cache: "no-store", credentials: "omit" });
    if (r.status === 429 && attempt < 5) {
      const wait = Number(r.headers.get("Retry-After") || "1");
      await new Promise(done => setTimeout(done, wait * 1000));
      continue;
    }
    if (!r.ok) throw new Error("the node answered " + r.status + " to " + path);
    return r.json();
  }
}

// Parses a C2SP signed note (spec §5.3): four text lines, an empty line, one signature line.
function parseNote(note) {
  const split = note.indexOf("\n\n");
  if (split < 0) throw new VerificationError("the checkpoint is not a signed note");
  const text = note.slice(0, split + 1);
  const lines = text.slice(0, -1).split("\n");
  const sigs = note.slice(split + 2).split("\n").filter(l => l.length > 0);
  if (lines.length !== 4 || !lines[0].startsWith("fedtrace.v1/")
      || !/^(0|[1-9][0-9]{0,17})$/.test(lines[1])
      || !/^[A-Za-z0-9+/]{43}=$/.test(lines[2])
      || !/^time_unix_millis (0|[1-9][0-9]{0,17})$/.test(lines[3])) {
    throw new VerificationError("the checkpoint's note text is malformed");
  }
  const sig = sigs.map(l => l.split(" ")).find(p => p.length === 3 && p[0] === "\u2014"
      && p[1] === lines[0]);
  if (!sig) throw new VerificationError("the checkpoint carries no signature of its log");
  return {
    text: enc.encode(text), origin: lines[0], size: Number(lines[1]), rootB64: lines[2],
    root: b64(lines[2]), time: Number(lines[3].split(" ")[1]), signature: b64(sig[2]),
  };
}

// R13.32 as far as a browser can: the signature verifies under the key the node publishes, and
// the note names that key (its C2SP key ID).
async function verifySignature(cp, publicKeyB64) {
  const pub = b64(publicKeyB64);
  const keyId = (await sha256(concat(enc.encode(cp.origin + "\n"), [1], pub))).slice(0, 4);
  if (cp.signature.length !== 68 || !equal(cp.signature.slice(0, 4), keyId)) {
    throw new VerificationError("the checkpoint's signature is not by the log's key");
  }
  const key = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
  const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, cp.signature.slice(4), cp.text);
  if (!ok) throw new VerificationError("the checkpoint's signature does not verify");
}

const odd = n => n % 2 === 1;
const half = n => Math.floor(n / 2);

function powerOfTwo(n) {
  while (n > 1 && !odd(n)) n = half(n);
  return n === 1;
}

// RFC 9162 §2.1.4.2.
async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (proof.length === 0) return false;
  if (powerOfTwo(first)) proof = [firstRoot, ...proof];
  let fn = first - 1, sn = second - 1;
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = proof[0], sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await interior(c, fr);
      sr = await interior(c, sr);
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = await interior(sr, c);
    }
    fn = half(fn); sn = half(sn);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}

// RFC 9162 §2.1.3.2.
async function verifyInclusion(index, size, leafHash, root, path) {
  if (index >= size) return false;
  let fn = index, sn = size - 1, r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await interior(p, r);
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      r = await interior(r, p);
    }
    fn = half(fn); sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

// R13.33, R13.34: the new checkpoint must extend the kept one.
async function checkAgainstKept(cp, kept) {
  if (!kept) return;
  const keptRoot = b64(kept.root);
  if (cp.size < kept.size) {
    throw new VerificationError("the log is smaller (" + cp.size + " entries) than when this "
        + "browser last verified it (" + kept.size + "): it was rolled back");
  }
  if (cp.time < kept.time) throw new VerificationError("the log's signed time went back");
  if (cp.size === kept.size) {
    if (!equal(cp.root, keptRoot)) {
      throw new VerificationError("the log was forked: same size as last verified, other root");
    }
    return;
  }
  if (kept.size === 0) return;
  const p = await get("proof/consistency?first=" + kept.size + "&second=" + cp.size);
  if (!(await verifyConsistency(kept.size, cp.size, keptRoot, cp.root, p.proof.map(b64)))) {
    throw new VerificationError("the log is not consistent with the one this browser verified "
        + "before: it was forked or rewritten");
  }
}

// R17.13, R17.14 (spec transparency.md §15.5): a quorum of the federation's other members
// cosigned one checkpoint of this log (cosignature/v1, Ed25519), and that checkpoint is consistent
// with the one just verified. Returns the witnesses of the best cosigned checkpoint.
async function checkWitnesses(w, cp, publicKey) {
  if (w.quorum === 0) return { names: [], size: cp.size };
  let best = { names: [], size: 0 };
  for (const cc of w.cosigned) {
    const x = parseNote(cc.signedNote);
    await verifySignature(x, publicKey);
    const consistent = x.size === 0 || (x.size < cp.size
      ? await verifyConsistency(x.size, cp.size, x.root, cp.root,
          (await get("proof/consistency?first=" + x.size + "&second=" + cp.size)).proof.map(b64))
      : x.size === cp.size && equal(x.root, cp.root));
    if (!consistent) {
      throw new VerificationError("the checkpoint the witnesses cosigned (" + x.size + " entries)"
          + " is not consistent with the one shown here: the log shows different views to"
          + " different audiences (a split view)");
    }
    const names = new Set();
    for (const s of cc.cosignatures) {
      if (!w.members.includes(s.witness)) continue;
      const key = await crypto.subtle.importKey("raw", b64(s.publicKey), { name: "Ed25519" },
          false, ["verify"]);
      const message = concat(enc.encode("cosignature/v1\ntime " + s.timeUnixSeconds + "\n"),
          x.text);
      if (await crypto.subtle.verify({ name: "Ed25519" }, key, b64(s.signature), message)) {
        names.add(s.witness);
      }
    }
    if (names.size > best.names.length) best = { names: [...names], size: x.size };
  }
  if (best.names.length < w.quorum) {
    throw new VerificationError("not enough witnesses: " + best.names.length + " of the "
        + w.members.length + " other members cosigned one checkpoint of this log, and "
        + w.quorum + " are required, so nothing shows that other visitors see the same log");
  }
  return best;
}

function keep(cp, publicKey) {
  localStorage.setItem(KEPT + cp.origin, JSON.stringify(
      { size: cp.size, root: cp.rootB64, time: cp.time, publicKey: publicKey }));
}

function cell(row, text) { row.insertCell().textContent = text; }

async function showEntries(cp) {
  const body = $("entries").tBodies[0];
  body.replaceChildren();
  if (cp.size === 0) return;
  const start = Math.max(0, cp.size - 5);
  const list = (await get("entries?start=" + start + "&end=" + cp.size)).entries;
  for (const e of list.reverse()) {
    const p = await get("proof/inclusion?index=" + e.index + "&size=" + cp.size);
    const ok = await verifyInclusion(e.index, cp.size, b64(e.leafHash), cp.root,
        p.auditPath.map(b64));
    const row = body.insertRow();
    [String(e.index), e.date || "withheld", e.event.replaceAll("_", " ").toLowerCase(),
        e.origin || "", e.peer || "", ok ? "yes, verified" : "NO"].forEach(t => cell(row, t));
    if (!ok) throw new VerificationError("entry " + e.index + " is not in the signed log");
  }
}

function region(code) {
  try { return new Intl.DisplayNames(["en"], { type: "region" }).of(code); } catch { return code; }
}

let sunset = null;
function tick() {
  if (!sunset) return;
  const left = sunset - Date.now();
  if (left <= 0) { $("countdown").textContent = "none: the agreement has ended"; return; }
  const s = Math.floor(left / 1000);
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
  $("countdown").textContent = d + " days, " + h + " hours, " + m + " minutes, " + (s % 60)
      + " seconds";
}

async function showFederation() {
  const f = await get("federation");
  $("federation-name").textContent = f.federation;
  $("node-name").textContent = f.node;
  $("retention").textContent = f.retentionDays;
  $("agreement-version").textContent = f.agreementVersion;
  $("agreement-hash").textContent = f.agreementSha256;
  $("sunset-date").textContent = f.sunsetDate;
  $("sunset-date").dateTime = f.sunsetDate;
  const list = $("members");
  list.replaceChildren(...f.members.map(m => {
    const li = document.createElement("li");
    li.textContent = region(m.country) + " (" + m.country + "), operator " + m.operatorId;
    return li;
  }));
  sunset = Date.parse(f.exchangeEnd);
  tick();
}

async function showStatistics() {
  const s = await get("statistics");
  $("stats-explanation").textContent = s.explanation;
  const table = $("stats");
  table.hidden = !s.published;
  $("stats-terms").hidden = !s.published;
  if (s.published) {
    // transparency.md §16: the mechanism, ε, budget, delay and threshold every figure was made with
    $("stats-terms").textContent = "Mechanism: " + s.mechanism + ", ε " + s.epsilon
      + " per day (" + s.epsilonPerFamily + " per family of counts); ε spent " + s.spentEpsilon
      + " of a budget of " + s.totalEpsilon + "; a day is released " + s.delayHours
      + " hours after it ended; a health authority's figures only from " + s.minUploads
      + " noisy uploads a day. Sensitivity of batches per pair " + s.sensitivity.pairBatches
      + ", of keys per pair " + s.sensitivity.pairKeys + ".";
  }
  table.tBodies[0].replaceChildren(...s.pairs.map(p => {
    const row = document.createElement("tr");
    [p.day, p.from, p.to, p.batches, p.keys].forEach(t => cell(row, String(t)));
    return row;
  }));
}

function verdict(state, text) {
  const v = $("verdict");
  v.dataset.state = state;
  v.textContent = text;
}

async function verify() {
  verdict("pending", "Checking the log…");
  $("alert").hidden = true;
  $("alert").textContent = "";
  $("witnesses").textContent = "…";
  try {
    const c = await get("checkpoint");
    const cp = parseNote(c.signedNote);
    $("log-origin").textContent = cp.origin;
    $("tree-size").textContent = String(cp.size);
    $("root-hash").textContent = hex(cp.root);
    $("signed-at").textContent = new Date(cp.time).toISOString();
    $("verifier-key").textContent = c.verifierKey;
    const keptText = localStorage.getItem(KEPT + cp.origin);
    const kept = keptText ? JSON.parse(keptText) : null;
    $("kept").textContent = kept
      ? kept.size + " entries, signed " + new Date(kept.time).toISOString() : "never";
    await verifySignature(cp, c.publicKey);
    await checkAgainstKept(cp, kept);
    const witnessed = await checkWitnesses(c.witnesses, cp, c.publicKey);
    $("witnesses").textContent = c.witnesses.quorum === 0 ? "none (the federation has one member)"
      : witnessed.names.join(", ") + " cosigned the checkpoint of " + witnessed.size
        + " entries (" + c.witnesses.quorum + " of " + c.witnesses.members.length + " required)";
    await showEntries(cp);
    keep(cp, c.publicKey);
    const keyNote = kept && kept.publicKey !== c.publicKey
      ? " The log's signing key changed since your last visit; compare it with the one the"
        + " operator publishes." : "";
    verdict("verified", "Verified: the checkpoint of " + cp.size + " entries is signed by the log's"
        + " key" + (kept ? " and consistent with the one this browser verified before," : ",")
        + " and witnessed by " + witnessed.names.length + " other members." + keyNote);
  } catch (e) {
    const why = e instanceof VerificationError ? e.message : "the log could not be checked ("
        + e.message + ")";
    verdict("failed", "Verification failed.");
    $("alert").textContent = "Verification failed: " + why + ". Do not rely on this log; the"
        + " checkpoint kept in this browser is unchanged, so it fails again until explained.";
    $("alert").hidden = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("recheck").addEventListener("click", verify);
  setInterval(tick, 1000);
  showFederation().catch(e => { $("members").textContent = "unavailable: " + e.message; });
  showStatistics().catch(e => { $("stats-explanation").textContent = "unavailable: " + e.message; });
  verify();
});
