// bench/bot-intake.sh's baseline: the smallest Probot app that receives the
// same deliveries. Probot's Node middleware verifies X-Hub-Signature-256
// (@octokit/webhooks, constant-time compare), parses the JSON, runs the
// (empty) pull_request handler and answers 200. It keeps nothing: no
// durable store, so it does strictly less work per delivery than clearance.
//
// Environment: BENCH_SECRET, BENCH_PORT (0: any; the bound port is printed).
"use strict";
const http = require("node:http");
const { Probot, createNodeMiddleware } = require("probot");

const probot = new Probot({
  appId: 1,
  privateKey: "unused: this app never calls the GitHub API",
  secret: process.env.BENCH_SECRET,
  logLevel: "warn",
});
const app = (app) => {
  app.on("pull_request", async () => {});
};
const middleware = createNodeMiddleware(app, { probot, webhooksPath: "/webhooks/github" });
const server = http.createServer((req, res) => {
  middleware(req, res, () => {
    res.writeHead(404);
    res.end();
  });
});
server.listen(Number(process.env.BENCH_PORT || 0), "127.0.0.1", () => {
  console.log(`probot: listening on http://127.0.0.1:${server.address().port}/`);
});
