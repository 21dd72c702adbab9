"""A webhook receiver for the benchmark: answers every POST with 204 at once and counts the distinct
`webhook-id`s it received; `GET /stats` answers {"received": <requests>, "distinct": <webhook-ids>}.

    python3 bench/receiver.py PORT
"""
import asyncio
import json
import sys

received = 0
distinct = set()


class Receiver(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        global received
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            lines = head.split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            if lines[0].startswith("GET /stats"):
                body = json.dumps({"received": received, "distinct": len(distinct)}).encode()
                self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                                     + str(len(body)).encode() + b"\r\n\r\n" + body)
                continue
            received += 1
            distinct.add(headers.get("webhook-id"))
            self.transport.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")


async def main():
    server = await asyncio.get_running_loop().create_server(Receiver, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()


asyncio.run(main())
