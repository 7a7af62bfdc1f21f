"""Runs the Phoenix server for the tests, with its gRPC OTLP receiver on
127.0.0.1 like everything else: Phoenix 20.x binds it to [::] and has no
setting for the host. Configuration comes from the PHOENIX_* environment.

    python phoenix_serve.py   # = python -m phoenix.server.main serve
"""

import sys


def _patch():
    from grpc.aio import _server

    original = _server.Server.add_insecure_port

    def add_insecure_port(self, address):
        return original(self, address.replace("[::]:", "127.0.0.1:"))

    _server.Server.add_insecure_port = add_insecure_port


_patch()

from phoenix.server.main import main  # noqa: E402

sys.argv = [sys.argv[0], "serve"]
main()
