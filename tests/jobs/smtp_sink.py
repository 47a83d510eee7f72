"""A tiny SMTP server for tests: accepts every message and keeps it in memory."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


@dataclass
class SinkState:
    messages: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    refuse_recipients: bool = False


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        state = self.server.state
        self.reply("220 sink ready")
        sender, recipients = "", []
        while raw := self.rfile.readline():
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 AUTH PLAIN")
            elif verb == "HELO":
                self.reply("250 sink")
            elif verb == "AUTH":
                state.logins.append(line)
                self.reply("235 ok")
            elif verb == "MAIL":
                sender, recipients = line[10:].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                if state.refuse_recipients:
                    self.reply(f"550 no such user {line[8:]}")
                else:
                    recipients.append(line[8:].strip("<>"))
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                while (body := self.rfile.readline().decode()) not in (".\r\n", ""):
                    lines.append(body)
                state.messages.append(Received(sender, recipients, "".join(lines)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: SinkState


class SmtpSink:
    """``with SmtpSink() as sink:`` listens on 127.0.0.1 at ``sink.port``."""

    def __init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.state = SinkState()
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def state(self) -> SinkState:
        return self.server.state

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
