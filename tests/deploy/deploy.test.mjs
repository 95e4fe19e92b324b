// Checks kneechat's deployment files against the Kubernetes schemas and
// against what kneechat-server actually accepts and serves:
//  - every manifest in deploy/k8s parses (YAML) and validates against the
//    Kubernetes OpenAPI schemas (kubernetes-models), and kustomization.yaml
//    lists them all;
//  - the fields the server relies on agree: flags it knows, ports, probe
//    paths it serves, the config file mount, the Secret keys the config and
//    the args name, selectors, the non-root user of the Dockerfile, a
//    termination grace longer than the drain;
//  - the ConfigMap's deployment file loads in the real server;
//  - the Grafana dashboard is valid dashboard JSON whose queries use only
//    metric names the running server exposes.
// Environment: KNEECHAT_SERVER (the kneechat-server binary).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const k8s = path.join(root, "deploy/k8s");
const server = process.env.KNEECHAT_SERVER;

function loadManifests() {
  const docs = [];
  for (const file of fs.readdirSync(k8s).filter((f) => f.endsWith(".yaml"))) {
    if (file === "kustomization.yaml") continue;
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(k8s, file), "utf8"))) {
      assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
      const value = doc.toJS();
      if (value) docs.push({ file, value });
    }
  }
  return docs;
}
const manifests = loadManifests();
const find = (kind, name) => {
  const found = manifests.filter((m) => m.value.kind === kind &&
      (name === undefined || m.value.metadata.name === name));
  assert.ok(found.length > 0, `no ${kind} ${name ?? ""}`);
  return found[0].value;
};

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

test("every manifest validates against the Kubernetes schemas", async () => {
  assert.ok(manifests.length >= 9);
  for (const { file, value } of manifests) {
    const module = await import(modelPath(value.apiVersion, value.kind));
    const Model = module[value.kind];
    assert.ok(Model, `${file}: no schema for ${value.apiVersion} ${value.kind}`);
    assert.doesNotThrow(() => new Model(value).validate(), `${file}: ${value.kind}`);
  }
});

test("the schema check does catch mistakes", async () => {
  const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
  const broken = structuredClone(find("Deployment", "kneechat"));
  broken.spec.template.spec.containers[0].ports[0].containerPort = "fifty";
  assert.throws(() => new Deployment(broken).validate());
});

test("kustomization.yaml lists every manifest", () => {
  const kustomization = YAML.parse(fs.readFileSync(path.join(k8s, "kustomization.yaml"), "utf8"));
  const files = fs.readdirSync(k8s).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
  assert.deepEqual([...kustomization.resources].sort(), files.sort());
});

const deployment = find("Deployment", "kneechat");
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const flags = Object.fromEntries(container.args.map((a) => {
  const m = /^--([a-z_-]+)=(.*)$/.exec(a);
  assert.ok(m, `argument ${a} is not --name=value`);
  return [m[1].replace(/-/g, "_"), m[2]];
}));
const portOf = (name) => container.ports.find((p) => p.name === name).containerPort;

function serverFlags() {
  // absl prints the flags and exits 1.
  const help = spawnSync(server, ["--helpfull"], { encoding: "utf8" }).stdout;
  return new Set([...help.matchAll(/^\s+--([a-z_]+) /gm)].map((m) => m[1]));
}

test("the server knows every flag the Deployment and the Dockerfile pass", { skip: !server }, () => {
  const known = serverFlags();
  for (const name of Object.keys(flags)) assert.ok(known.has(name), `--${name}`);
  const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const cmd = /^CMD (\[[^\]]*\])/ms.exec(dockerfile);
  assert.ok(cmd, "Dockerfile has a CMD");
  for (const arg of JSON.parse(cmd[1].replace(/\\\n/g, ""))) {
    if (arg.startsWith("--")) assert.ok(known.has(arg.slice(2).replace(/-/g, "_")), arg);
  }
});

test("ports, probes and scrape annotations agree with the server", () => {
  assert.equal(Number(flags.listen.split(":").pop()), portOf("grpc"));
  assert.equal(Number(flags.http_listen.split(":").pop()), portOf("http"));
  const opsHeader = fs.readFileSync(path.join(root, "services/observability/ops_endpoints.h"), "utf8");
  const served = [...opsHeader.matchAll(/"(\/[a-z]+)"/g)].map((m) => m[1]);
  assert.equal(container.readinessProbe.httpGet.path, "/readyz");
  assert.equal(container.livenessProbe.httpGet.path, "/livez");
  for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
    assert.ok(served.includes(container[probe].httpGet.path), probe);
    assert.equal(container[probe].httpGet.port, "http", probe);
  }
  const annotations = deployment.spec.template.metadata.annotations;
  assert.equal(Number(annotations["prometheus.io/port"]), portOf("http"));
  assert.equal(annotations["prometheus.io/path"], "/metrics");
  assert.ok(served.includes("/metrics"));
});

test("the config file is mounted where --config points, from the ConfigMap", () => {
  const mount = container.volumeMounts.find((m) => flags.config.startsWith(m.mountPath + "/"));
  assert.ok(mount, `a volume mounted above ${flags.config}`);
  const volume = pod.volumes.find((v) => v.name === mount.name);
  const configMap = find("ConfigMap", volume.configMap.name);
  const item = volume.configMap.items.find((i) => path.join(mount.mountPath, i.path) === flags.config);
  assert.ok(item, "the ConfigMap item lands on --config");
  assert.ok(configMap.data[item.key], `ConfigMap key ${item.key}`);
});

test("every secret the config and the args name is in the Secret", () => {
  const secret = find("Secret", container.envFrom[0].secretRef.name);
  const keys = new Set(Object.keys(secret.stringData));
  const config = find("ConfigMap", "kneechat-config").data["kneechat.textproto"];
  for (const m of config.matchAll(/"env:([A-Z0-9_]+)"/g)) assert.ok(keys.has(m[1]), m[1]);
  for (const arg of container.args) {
    for (const m of arg.matchAll(/\$\(([A-Z0-9_]+)\)/g)) assert.ok(keys.has(m[1]), m[1]);
  }
  assert.match(secret.stringData.KNEECHAT_SESSION_STORE, /^redis(-sentinel)?:\/\//);
});

test("selectors and targets match the Deployment's pods", () => {
  const labels = deployment.spec.template.metadata.labels;
  const matches = (selector) => Object.entries(selector).every(([k, v]) => labels[k] === v);
  assert.ok(matches(deployment.spec.selector.matchLabels));
  assert.ok(matches(find("Service").spec.selector));
  assert.ok(matches(find("PodDisruptionBudget").spec.selector.matchLabels));
  assert.ok(matches(find("NetworkPolicy").spec.podSelector.matchLabels));
  const hpa = find("HorizontalPodAutoscaler");
  assert.equal(hpa.spec.scaleTargetRef.kind, "Deployment");
  assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
  assert.ok(hpa.spec.minReplicas >= 2, "at least two replicas for rolling restarts");
  const service = find("Service");
  for (const port of service.spec.ports) {
    assert.ok(container.ports.some((p) => p.name === port.targetPort), port.targetPort);
  }
  for (const ingress of manifests.filter((m) => m.value.kind === "Ingress")) {
    for (const rule of ingress.value.spec.rules) {
      for (const p of rule.http.paths) {
        assert.equal(p.backend.service.name, service.metadata.name);
        assert.ok(service.spec.ports.some((sp) => sp.name === p.backend.service.port.name));
      }
    }
  }
});

test("pods run as the image's non-root user, read-only, and drain before they are killed", () => {
  const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const user = /^USER (\d+):(\d+)$/m.exec(dockerfile);
  assert.ok(user, "the Dockerfile runs as a numeric non-root user");
  assert.notEqual(user[1], "0");
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(String(pod.securityContext.runAsUser), user[1]);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.match(dockerfile, /^FROM debian:12 AS build$/m);
  assert.match(dockerfile, /^FROM debian:12-slim$/m);
  assert.match(dockerfile, /^HEALTHCHECK .*\n?.*\/readyz/m);
  assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/kneechat-server"\]$/m);
  const grace = Number(/^(\d+)s$/.exec(flags.shutdown_grace)[1]);
  const preStop = Number(container.lifecycle.preStop.exec.command[1]);
  assert.ok(pod.terminationGracePeriodSeconds > grace + preStop);
  assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
  assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
});

// One server, started with the ConfigMap's deployment file, for the last
// two checks.
let running = null;
let tmp = null;
before(async () => {
  if (!server) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kneechat-deploy-"));
  const config = path.join(tmp, "kneechat.textproto");
  fs.writeFileSync(config, find("ConfigMap", "kneechat-config").data["kneechat.textproto"]);
  const env = { ...process.env, KNEECHAT_TELEGRAM_SECRET: "s", KNEECHAT_TELEGRAM_BOT_TOKEN: "1:t",
    KNEECHAT_TWILIO_AUTH_TOKEN: "t" };
  const child = spawn(server, ["--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
    "--config", config], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  running = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ child, error: "no start in 60 s: " + stderr }), 60000);
    child.stdout.on("data", (d) => {
      stdout += d;
      const port = /http listening on .*:(\d+)/.exec(stdout);
      if (port && /^kneechat-server listening on/m.test(stdout)) {
        clearTimeout(timer);
        resolve({ child, port: Number(port[1]) });
      }
    });
    child.on("exit", (code) => { clearTimeout(timer); resolve({ child: null, error: `exited ${code}: ${stderr}` }); });
  });
});
after(() => {
  if (running?.child) running.child.kill("SIGTERM");
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("the ConfigMap's deployment file loads in the server", { skip: !server }, () => {
  assert.ok(running.port, running.error);
});

test("the Dockerfile's HEALTHCHECK command passes against a ready server", { skip: !server }, () => {
  const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const m = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile);
  assert.ok(m, "HEALTHCHECK ... CMD [exec form]");
  const argv = JSON.parse(m[1]).map((a) => a.replace("/8080", `/${running.port}`));
  assert.equal(spawnSync(argv[0], argv.slice(1), { timeout: 10000 }).status, 0);
  const closed = argv.map((a) => a.replace(`/${running.port}`, "/1"));
  assert.notEqual(spawnSync(closed[0], closed.slice(1), { timeout: 10000 }).status, 0);
});

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: urlPath }, (res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => resolve({ status: res.statusCode, body }));
    }).on("error", reject);
  });
}

test("the Grafana dashboard is valid and uses only metrics the server exposes", { skip: !server }, async () => {
  const file = path.join(root, "deploy/grafana/kneechat-dashboard.json");
  const dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.equal(typeof dashboard.title, "string");
  assert.equal(typeof dashboard.uid, "string");
  assert.ok(Number.isInteger(dashboard.schemaVersion));
  assert.ok(Array.isArray(dashboard.panels) && dashboard.panels.length > 10);
  const ids = new Set();
  for (const panel of dashboard.panels) {
    assert.ok(Number.isInteger(panel.id) && !ids.has(panel.id), `panel id ${panel.id}`);
    ids.add(panel.id);
    for (const k of ["x", "y", "w", "h"]) assert.ok(Number.isInteger(panel.gridPos[k]), panel.title);
    assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, panel.title);
    if (panel.type !== "row") assert.ok(panel.targets.length > 0, panel.title);
  }

  const { status, body } = await get(running.port, "/metrics");
  assert.equal(status, 200);
  const exposed = new Set();
  for (const m of body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exposed.add(m[1]);
    if (m[2] === "histogram") for (const s of ["_bucket", "_sum", "_count"]) exposed.add(m[1] + s);
  }
  assert.ok(exposed.has("kneechat_turns_total"));
  const used = new Set();
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) {
      for (const m of target.expr.matchAll(/\b(kneechat_[a-z_]+)/g)) used.add(m[1]);
    }
  }
  for (const q of dashboard.templating.list) {
    for (const m of JSON.stringify(q.query ?? "").matchAll(/\b(kneechat_[a-z_]+)/g)) used.add(m[1]);
  }
  assert.ok(used.size >= 10);
  for (const name of used) assert.ok(exposed.has(name), `dashboard uses ${name}, not exposed`);
  for (const path of ["/readyz", "/livez"]) assert.equal((await get(running.port, path)).status, 200, path);
});
