"""The installed kneechat: `cmake --install` into a temporary prefix and the
Debian package made by CPack.

1. Installs the build into a temporary prefix, checks the layout and runs
   the installed server with no data flags (it finds the corpus, index and
   web assets under <prefix>/share/kneechat) through one conversation over
   Connect JSON, up to a cited answer; GET /metrics answers.
2. Builds the .deb with cpack, checks it with `dpkg-deb --info/--contents`
   (Depends from dpkg-shlibdeps, conffile, maintainer scripts, units),
   unpacks it into a throwaway root with `dpkg-deb -x` and runs that server
   through the same conversation. Runs lintian on it when installed.

Usage: package_test.py --build BUILD_DIR [--no-deb]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

API = "/kneechat.v1.KneeChat/"
CONVERSATION = [
    "my knee is sore at the front whenever I run",
    "three weeks",
    "none of those",
]


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def call(port, method, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", API + method, json.dumps(body),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        check(response.status == 200,
              "%s: HTTP %d %s" % (method, response.status, data[:200]))
        return json.loads(data)
    finally:
        conn.close()


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def start_server(binary, config, workdir):
    """Starts `binary` with no data flags; returns (process, http_port)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KNEECHAT_")}
    log = open(os.path.join(workdir, "server.log"), "w+")
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
         "--config", config],
        stdout=subprocess.PIPE, stderr=log, env=env, cwd=workdir, text=True)
    http_port = None
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            log.seek(0)
            fail("%s exited before listening: %s" % (binary, log.read()))
        match = re.search(r"http listening on .*:(\d+)$", line.strip())
        if match:
            http_port = int(match.group(1))
        if line.startswith("kneechat-server listening on"):
            return process, http_port
    process.kill()
    fail("%s did not start within 60 s" % binary)


def stop_server(process):
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        fail("server did not stop on SIGTERM")
    check(code == 0, "server exited %d after SIGTERM" % code)


def converse(binary, config, workdir):
    process, port = start_server(binary, config, workdir)
    try:
        check(port is not None, "no HTTP port printed")
        status, page = get(port, "/")
        check(status == 200 and "kneechat" in page.lower(),
              "demo page from the installed web assets: HTTP %d" % status)
        created = call(port, "CreateSession", {"channel": "web"})
        session = created["sessionId"]
        check(created["reply"]["kind"] == "REPLY_KIND_GREETING",
              "greeting: %r" % created["reply"]["kind"])
        kinds = []
        for i, text in enumerate(CONVERSATION):
            reply = call(port, "SendMessage",
                         {"sessionId": session, "text": text,
                          "messageId": "m%d" % i})["reply"]
            kinds.append(reply["kind"])
        check(kinds[-1] == "REPLY_KIND_ANSWER" and
              call(port, "GetSession", {"sessionId": session}),
              "conversation ended with %r, not a cited answer" % kinds)
        status, metrics = get(port, "/metrics")
        check(status == 200 and "kneechat_turns_total" in metrics,
              "GET /metrics: HTTP %d" % status)
        print("  %s: %s" % (binary, " -> ".join(kinds)))
    finally:
        stop_server(process)


def install_into_prefix(build, tmp):
    prefix = os.path.join(tmp, "prefix")
    subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                   check=True, stdout=subprocess.DEVNULL)
    for path in ["bin/kneechat-server", "bin/kneechat", "bin/kneechat-index",
                 "share/kneechat/corpus/manifest.tsv",
                 "share/kneechat/corpus/triage/red_flags.textproto",
                 "share/kneechat/kneechat.xapian",
                 "share/kneechat/web/widget.js",
                 "share/kneechat/web/index.html",
                 "share/kneechat/nginx/kneechat.conf",
                 "lib/systemd/system/kneechat.service",
                 "lib/systemd/system/kneechat@.service",
                 "etc/kneechat/kneechat.textproto"]:
        check(os.path.exists(os.path.join(prefix, path)),
              "installed tree lacks %s" % path)
    unit = open(os.path.join(prefix, "lib/systemd/system/kneechat.service")).read()
    check("ExecStart=/usr/bin/kneechat-server" in unit and
          "User=kneechat" in unit, "unit does not run /usr/bin as kneechat")
    converse(os.path.join(prefix, "bin/kneechat-server"),
             os.path.join(prefix, "etc/kneechat/kneechat.textproto"), tmp)


def build_deb(build, tmp):
    out = os.path.join(tmp, "deb")
    subprocess.run(["cpack", "-G", "DEB", "--config",
                    os.path.join(build, "CPackConfig.cmake"), "-B", out],
                   check=True, stdout=subprocess.DEVNULL, cwd=build)
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    check(len(debs) == 1, "cpack made %r" % debs)
    return os.path.join(out, debs[0])


def check_deb(deb, tmp):
    info = subprocess.run(["dpkg-deb", "--info", deb], check=True,
                          capture_output=True, text=True).stdout
    depends = re.search(r"^ Depends: (.*)$", info, re.M)
    check(depends is not None, "no Depends in:\n" + info)
    for lib in ["adduser", "libgrpc++1.51", "libprotobuf32", "libre2-9",
                "libxapian30", "libhiredis0.14", "libhunspell-1.7-0", "libzstd1",
                "libc6", "libstdc++6"]:
        check(re.search(r"(^|, )%s( |,|$)" % re.escape(lib), depends.group(1)),
              "Depends lacks %s: %s" % (lib, depends.group(1)))
    check(re.search(r"^ Package: kneechat$", info, re.M), "package name")
    for script in ["postinst", "prerm", "postrm", "conffiles"]:
        check(re.search(r"\b%s\b" % script, info), "no %s" % script)
    conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", deb], check=True,
                               capture_output=True).stdout
    ctrl = os.path.join(tmp, "ctrl")
    os.makedirs(ctrl)
    subprocess.run(["tar", "-x", "-C", ctrl], input=conffiles, check=True)
    check(open(os.path.join(ctrl, "conffiles")).read().split() ==
          ["/etc/kneechat/kneechat.textproto"], "conffiles")
    postinst = open(os.path.join(ctrl, "postinst")).read()
    check("adduser --system" in postinst and "kneechat" in postinst,
          "postinst does not add the kneechat system user")

    contents = subprocess.run(["dpkg-deb", "--contents", deb], check=True,
                              capture_output=True, text=True).stdout
    for path in ["./usr/bin/kneechat-server", "./usr/bin/kneechat",
                 "./usr/share/kneechat/corpus/manifest.tsv",
                 "./usr/share/kneechat/kneechat.xapian/",
                 "./usr/share/kneechat/web/widget.js",
                 "./usr/lib/systemd/system/kneechat.service",
                 "./usr/lib/systemd/system/kneechat@.service",
                 "./etc/kneechat/kneechat.textproto"]:
        check(re.search(r" %s" % re.escape(path), contents),
              "package lacks %s" % path)
    check(" root/root " in contents and "./opt" not in contents and
          "./usr/local" not in contents, "owners or paths in the package")

    root = os.path.join(tmp, "root")
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    converse(os.path.join(root, "usr/bin/kneechat-server"),
             os.path.join(root, "etc/kneechat/kneechat.textproto"), tmp)

    lintian = shutil.which("lintian")
    if lintian:
        # Errors fail the test; warnings are printed.
        run = subprocess.run([lintian, "--no-tag-display-limit", deb],
                             capture_output=True, text=True)
        print(run.stdout)
        errors = [l for l in run.stdout.splitlines() if l.startswith("E:")]
        check(not errors, "lintian errors:\n" + "\n".join(errors))
    else:
        print("  lintian not installed; skipped")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--no-deb", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kneechat-package-") as tmp:
        install_into_prefix(os.path.abspath(args.build), tmp)
        if not args.no_deb:
            deb = build_deb(os.path.abspath(args.build), tmp)
            check_deb(deb, tmp)
    print("PASS")


if __name__ == "__main__":
    main()
