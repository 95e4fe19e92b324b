"""`nginx -t` on deploy/nginx/kneechat.conf as shipped (only the ports,
the certificate -- a throwaway self-signed one -- and the replica addresses
changed), then a running nginx in front of nothing answers 502 over TLS:
the config parses, terminates TLS and proxies."""

import os
import signal
import subprocess
import sys
import tempfile
import shutil

import cluster_lib


def main():
    directory = tempfile.mkdtemp(prefix="kneechat-nginx-")
    nginx = None
    try:
        port, port80 = cluster_lib.free_port(), cluster_lib.free_port()
        dead = "127.0.0.1:%d" % cluster_lib.free_port()  # nothing listens
        conf = cluster_lib.render_nginx(directory, port, port80, [dead], [dead])
        check = cluster_lib.nginx_test(directory, conf)
        print(check.stderr.strip())
        if check.returncode != 0:
            print("FAIL: nginx -t")
            return 1
        nginx = subprocess.Popen(["nginx", "-p", directory, "-e",
                                  os.path.join(directory, "nginx-error.log"), "-c", conf,
                                  "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        cluster_lib.wait_for(lambda: cluster_lib.https_get(port, "/healthz")[0] == 502,
                             10, "nginx to answer 502 over TLS")
        status, _ = cluster_lib.https_get(port, "/metrics")
        if status != 404:
            print("FAIL: /metrics must not be public, got %d" % status)
            return 1
        print("PASS")
        return 0
    finally:
        if nginx is not None:  # the master and its workers
            os.killpg(nginx.pid, signal.SIGKILL)
            nginx.wait()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
