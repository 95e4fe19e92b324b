"""Processes for kneechat's multi-replica tests and benchmark, on loopback.

Starts Redis (a master, optionally a replica and sentinels), kneechat-server
replicas and nginx (rendered from deploy/nginx/kneechat.conf) in a temporary
directory with free ports, and talks to kneechat's Connect JSON API over
HTTPS. Python standard library only (Debian's python3).
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NGINX_CONF = os.path.join(REPO, "deploy", "nginx", "kneechat.conf")
API = "/kneechat.v1.KneeChat/"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, ValueError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise TimeoutError("timed out waiting for " + what)


def redis_cli(port, *args):
    """One command through redis-cli; returns its stripped stdout."""
    out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port)] +
                         [str(a) for a in args],
                         capture_output=True, text=True, timeout=10)
    return out.stdout.strip()


class Cluster:
    """Owns every process it starts; stop() kills them all."""

    def __init__(self, server_binary, keep_dir=False):
        self.server_binary = server_binary
        self.dir = tempfile.mkdtemp(prefix="kneechat-cluster-")
        self.keep_dir = keep_dir
        self.procs = {}  # name -> Popen
        self.ports = {}
        self.master_name = "kneechat"

    # ---- processes -------------------------------------------------------

    def _spawn(self, name, argv):
        log = open(os.path.join(self.dir, name + ".log"), "w")
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                            cwd=self.dir, start_new_session=True)
        return self.procs[name]

    def kill9(self, name):
        """SIGKILL to the process and its children (nginx's workers)."""
        proc = self.procs[name]
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()

    def stop(self):
        for name in list(self.procs):
            self.kill9(name)
        if not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def redis(self, name, replica_of=None):
        port = free_port()
        self.ports[name] = port
        data = os.path.join(self.dir, name)
        os.makedirs(data)
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                "--dir", data, "--save", "", "--appendonly", "no",
                "--protected-mode", "no"]
        if replica_of:
            argv += ["--replicaof", "127.0.0.1", str(self.ports[replica_of])]
        self._spawn(name, argv)
        wait_for(lambda: redis_cli(port, "PING") == "PONG", 10, name)
        return port

    def sentinel(self, name, master, quorum=2):
        port = free_port()
        self.ports[name] = port
        data = os.path.join(self.dir, name)
        os.makedirs(data)
        conf = os.path.join(data, "sentinel.conf")
        with open(conf, "w") as f:
            f.write("port %d\nbind 127.0.0.1\ndir %s\nprotected-mode no\n"
                    "sentinel monitor %s 127.0.0.1 %d %d\n"
                    "sentinel down-after-milliseconds %s 1000\n"
                    "sentinel failover-timeout %s 4000\n"
                    "sentinel parallel-syncs %s 1\n" %
                    (port, data, self.master_name, self.ports[master], quorum,
                     self.master_name, self.master_name, self.master_name))
        self._spawn(name, ["redis-server", conf, "--sentinel"])
        wait_for(lambda: redis_cli(port, "PING") == "PONG", 10, name)
        return port

    def sentinel_url(self, names):
        hosts = ",".join("127.0.0.1:%d" % self.ports[n] for n in names)
        return "redis-sentinel://%s/%s" % (hosts, self.master_name)

    def sentinel_master_port(self, sentinel):
        out = redis_cli(self.ports[sentinel], "SENTINEL",
                        "get-master-addr-by-name", self.master_name).split()
        return int(out[1]) if len(out) == 2 else None

    def replica(self, name, session_store, extra=()):
        grpc_port, http_port = free_port(), free_port()
        self.ports[name + ".grpc"] = grpc_port
        self.ports[name + ".http"] = http_port
        argv = [self.server_binary, "--listen", "127.0.0.1:%d" % grpc_port,
                "--http-listen", "127.0.0.1:%d" % http_port,
                "--session-store", session_store] + list(extra)
        self._spawn(name, argv)
        log = os.path.join(self.dir, name + ".log")

        def up():
            if self.procs[name].poll() is not None:
                raise RuntimeError(name + " exited: " + open(log).read()[-2000:])
            return "kneechat-server listening" in open(log).read()
        wait_for(up, 60, name)

    def nginx(self, replicas, open_limits=True):
        """Renders deploy/nginx/kneechat.conf for `replicas` and starts nginx."""
        port, port80 = free_port(), free_port()
        self.ports["nginx"] = port
        conf = render_nginx(self.dir, port, port80,
                            ["127.0.0.1:%d" % self.ports[r + ".grpc"] for r in replicas],
                            ["127.0.0.1:%d" % self.ports[r + ".http"] for r in replicas],
                            open_limits=open_limits)
        check = nginx_test(self.dir, conf)
        if check.returncode != 0:
            raise RuntimeError("nginx -t failed: " + check.stderr)
        self._spawn("nginx", ["nginx", "-p", self.dir, "-e", os.path.join(self.dir, "nginx-error.log"),
                              "-c", conf, "-g", "daemon off;"])
        wait_for(lambda: https_get(port, "/healthz")[0] in (200, 503), 15, "nginx")
        return port


# ---- nginx ---------------------------------------------------------------

def make_certificate(directory):
    """A throwaway self-signed certificate for localhost."""
    cert = os.path.join(directory, "fullchain.pem")
    key = os.path.join(directory, "privkey.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def _replace_upstream(text, name, servers):
    body = "".join("  server %s max_fails=1 fail_timeout=5s;\n" % s for s in servers)
    pattern = re.compile(r"(upstream %s \{\n  least_conn;\n)(?:  server [^\n]*\n)+" % name)
    text, count = pattern.subn(lambda m: m.group(1) + body, text)
    if count != 1:
        raise ValueError("upstream %s not found in %s" % (name, NGINX_CONF))
    return text


def render_nginx(directory, port, port80, grpc_servers, http_servers, open_limits=False):
    """Writes nginx.conf (a top-level wrapper) and kneechat.conf (the deploy
    file with this machine's ports, certificate and replicas) into
    `directory`; returns the wrapper's path."""
    with open(NGINX_CONF) as f:
        text = f.read()
    cert, key = make_certificate(directory)
    replacements = [
        ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % port),
        ("listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", "listen 127.0.0.1:%d;" % port80),
        ("listen [::]:80;\n", ""),
        ("/etc/ssl/kneechat/fullchain.pem", cert),
        ("/etc/ssl/kneechat/privkey.pem", key),
    ]
    if open_limits:  # every test client shares 127.0.0.1
        replacements += [("rate=10r/s", "rate=100000r/s"), ("rate=50r/s", "rate=100000r/s"),
                         ("limit_conn kneechat_conn 64;", "limit_conn kneechat_conn 4096;")]
    for old, new in replacements:
        if old not in text:
            raise ValueError("%r not found in %s" % (old, NGINX_CONF))
        text = text.replace(old, new)
    text = _replace_upstream(text, "kneechat_grpc", grpc_servers)
    text = _replace_upstream(text, "kneechat_http", http_servers)
    site = os.path.join(directory, "kneechat.conf")
    with open(site, "w") as f:
        f.write(text)
    wrapper = os.path.join(directory, "nginx.conf")
    temp = os.path.join(directory, "nginx-temp")
    os.makedirs(temp, exist_ok=True)
    with open(wrapper, "w") as f:
        f.write("worker_processes 1;\npid %s/nginx.pid;\n"
                "events { worker_connections 2048; }\n"
                "http {\n"
                "  log_format upstream '$upstream_addr $status $request_uri "
                "$http_x_test_conversation';\n"
                "  access_log %s/nginx-access.log upstream;\n"
                "  client_body_temp_path %s/body;\n  proxy_temp_path %s/proxy;\n"
                "  fastcgi_temp_path %s/fastcgi;\n  uwsgi_temp_path %s/uwsgi;\n"
                "  scgi_temp_path %s/scgi;\n"
                "  include %s;\n}\n" % (directory, directory, temp, temp, temp, temp, temp, site))
    return wrapper


def nginx_test(directory, conf):
    return subprocess.run(["nginx", "-t", "-p", directory, "-e",
                           os.path.join(directory, "nginx-error.log"), "-c", conf],
                          capture_output=True, text=True, timeout=30)


# ---- the Connect JSON API over HTTPS -------------------------------------

_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the throwaway certificate


def https_get(port, path, timeout=5):
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=_TLS)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Api:
    """One client's connection to kneechat through nginx (or a replica)."""

    def __init__(self, port, tls=True, timeout=10, tag=None):
        """`tag` goes out as X-Test-Conversation, which the test nginx logs
        next to the replica that served the request."""
        self.port, self.tls, self.timeout = port, tls, timeout
        self.headers = {"Content-Type": "application/json"}
        if tag:
            self.headers["X-Test-Conversation"] = tag
        self.conn = None

    def call(self, method, body):
        """Returns (http_status, parsed JSON or None). Raises OSError or
        http.client.HTTPException on a broken connection."""
        if self.conn is None:
            if self.tls:
                self.conn = http.client.HTTPSConnection("127.0.0.1", self.port,
                                                        timeout=self.timeout, context=_TLS)
            else:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
        try:
            self.conn.request("POST", API + method, json.dumps(body), self.headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:
            return response.status, None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
