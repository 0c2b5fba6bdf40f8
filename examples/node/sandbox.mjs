// Starts a PayLinkSandbox process on port 0 with a feedback receiver, and signs APS requests.
// The binary comes from PAYLINK_SANDBOX_BIN (examples/run.sh sets it), else this repository's
// debug build.
import { spawn } from "node:child_process";
import { createHash, timingSafeEqual } from "node:crypto";
import { writeFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const MERCHANT = {
  merchant_identifier: "CycHZxVj",
  access_code: "zx0IPmPy5jp1vAz8Kpg7",
  sha_request_phrase: "request-secret",
  sha_response_phrase: "response-secret",
};

// APS signature: every parameter but `signature`, sorted by name, `name=value` joined with
// nothing, the phrase at both ends, SHA-256.
export function signature(params, phrase) {
  const text = Object.keys(params).filter((k) => k !== "signature").sort()
    .map((k) => `${k}=${params[k]}`).join("");
  return createHash("sha256").update(`${phrase}${text}${phrase}`).digest("hex");
}

export const signed = (params) => ({ ...params, signature: signature(params, MERCHANT.sha_request_phrase) });

export function isAuthentic(params) {
  const expected = Buffer.from(signature(params, MERCHANT.sha_response_phrase));
  const given = Buffer.from(String(params.signature ?? ""));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// Records each feedback POST; next() waits for the following one.
export async function startFeedbackReceiver() {
  const received = [];
  const waiting = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      response.writeHead(200).end();
      const feedback = { path: request.url, body: JSON.parse(body) };
      const waiter = waiting.shift();
      waiter ? waiter(feedback) : received.push(feedback);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    next: () => (received.length ? Promise.resolve(received.shift()) : new Promise((r) => waiting.push(r))),
    drain: () => received.splice(0),
    close: () => server.close(),
  };
}

export async function startSandbox(feedbackURL) {
  const binary = process.env.PAYLINK_SANDBOX_BIN ?? new URL("../../.build/debug/paylink-sandbox", import.meta.url).pathname;
  const config = join(mkdtempSync(join(tmpdir(), "paylink-")), "config.json");
  writeFileSync(config, JSON.stringify({ merchants: [{ ...MERCHANT, notification_url: `${feedbackURL}/aps/feedback` }] }));
  const child = spawn(binary, ["serve", "--port", "0", "--config", config, "--quiet"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    new Promise((resolve) => lines.once("line", (line) => resolve([line]))),
    new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`the sandbox exited with ${code}`)))),
  ]);
  if (!first.startsWith("listening on ")) throw new Error(`the sandbox did not start: ${first}`);
  const baseURL = first.split(" ").at(-1);
  const post = async (path, body) => {
    const response = await fetch(baseURL + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    return response.json();
  };
  return {
    baseURL,
    post,
    paymentApi: (params) => post("/FortAPI/paymentApi", params),
    reset: () => post("/__sandbox/reset", {}),
    stop: () => new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); }),
  };
}
