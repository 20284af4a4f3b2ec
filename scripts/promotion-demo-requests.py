"""Request counts of one emulator for `scripts/promotion-demo.sh`: `clear`, or `count` one stage into a JSON file.

    promotion-demo-requests.py clear URL
    promotion-demo-requests.py count URL STACK OPERATION COUNTS_JSON   (prints one summary line)

Counts come from the emulator's own request log (`GET /_emulator/requests`), by API area and method.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import httpx


def area(path: str) -> str:
    return "agents" if "/orchestrate/agents" in path else "phone"


def main(argv: list[str]) -> int:
    command, url = argv[0], argv[1].rstrip("/")
    if command == "clear":
        httpx.delete(f"{url}/_emulator/requests").raise_for_status()
        return 0
    stack, operation, counts_file = argv[2], argv[3], Path(argv[4])
    response = httpx.get(f"{url}/_emulator/requests")
    response.raise_for_status()
    counts = Counter(f"{area(r['path'])} {r['method']}" for r in response.json())
    summary = json.loads(counts_file.read_text()) if counts_file.exists() else []
    summary.append({"stack": stack, "operation": operation, "requests": dict(sorted(counts.items()))})
    counts_file.write_text(json.dumps(summary, indent=2) + "\n")
    shown = ", ".join(f"{key} {n}" for key, n in sorted(counts.items())) or "none"
    print(f"[promotion] requests {stack} {operation}: {shown} (total {sum(counts.values())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
