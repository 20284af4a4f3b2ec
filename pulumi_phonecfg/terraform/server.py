"""`terraform-provider-phonecfg`: the executable the Terraform/OpenTofu CLI starts (a console script of the
package). `tf.runner.run_provider` does the go-plugin handshake and serves gRPC; it builds the framework's own
servicer, which is swapped for ours (`protocol.py`) before it runs.
"""

from __future__ import annotations

import sys
from typing import Any

import tf.provider
import tf.runner

from pulumi_phonecfg.terraform.protocol import PhoneConfigProviderServicer

SOURCE_ADDRESS = "registry.opentofu.org/phonecfg/phonecfg"


class _Identity:
    """What the runner asks of a framework provider: only its address (printed in `--dev` mode)."""

    def full_name(self) -> str:
        return SOURCE_ADDRESS


def main(argv: list[str] | None = None) -> None:
    if sys.stdin.isatty() and not argv and len(sys.argv) == 1:
        print(
            "terraform-provider-phonecfg is started by `tofu` or `terraform`, not by hand: see "
            "docs/guides/terraform.md (provider_installation with dev_overrides).",
            file=sys.stderr,
        )
        raise SystemExit(1)

    def servicer(_provider: Any) -> PhoneConfigProviderServicer:
        return PhoneConfigProviderServicer()

    tf.provider.ProviderServicer = servicer  # the runner imports it at call time
    tf.runner.run_provider(_Identity(), argv or sys.argv)


if __name__ == "__main__":
    main()
