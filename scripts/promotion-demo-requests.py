"""Request counts of one emulator for `scripts/promotion-demo.sh`: `clear`, or `count` one stage into a JSON file.

    promotion-demo-requests.py clear URL
    promotion-demo-requests.py count URL STACK OPERATION COUNTS_JSON   (prints one summary line)

Counts come from the emulator's own request log (`GET /_emulator/requests`), by API area and method. The log
holds credentials, so it takes the emulator's token: from $PHONECFG_EMULATOR_TOKEN (never an argument, which `ps`
would show).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import httpx


def area(path: str) -> str:
    return "agents" if "/orchestrate/agents" in path else "phone"


def main(argv: list[str]) -> int:
    command, url = argv[0], argv[1].rstrip("/")
    token = os.environ.get("PHONECFG_EMULATOR_TOKEN")
    if not token:
        print("promotion-demo-requests.py: set PHONECFG_EMULATOR_TOKEN to the emulator's token", file=sys.stderr)
        return 2
    admin = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
    if command == "clear":
        admin.delete("/_emulator/requests").raise_for_status()
        return 0
    stack, operation, counts_file = argv[2], argv[3], Path(argv[4])
    response = admin.get("/_emulator/requests")
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
