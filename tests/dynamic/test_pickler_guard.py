"""The ~985-registration ceiling: Pulumi's provider pickling leaks a pickler patch per dynamic resource.

`serialize_provider` wraps `pickle._Pickler._batch_setitems` once more on every call and never unwraps it, so
after ~985 dynamic resources in one process pickling overflows the stack. `PhoneConfig` registers through
`pulumi_phonecfg.dynamic.pickler_guard.isolated_pickler`, which leaves the pickler exactly as it found it.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from typing import Any

import pulumi
import pytest

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.dynamic.pickler_guard import STDLIB_METHODS, isolated_pickler, pickler_state

REGISTRATIONS = 5_000


def run_python(code: str) -> str:
    """Runs `code` in a fresh interpreter (a pickler no test has touched) and returns its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def fresh_process_pickle() -> str:
    """`__provider` as the SDK produces it on its first call in a fresh process, without the guard."""
    return run_python(
        """
        from pulumi.dynamic.dynamic import serialize_provider
        from pulumi_phonecfg.provider import PhoneConfigProvider
        print(serialize_provider(PhoneConfigProvider()))
        """
    )


def test_the_sdk_alone_still_hits_the_ceiling() -> None:
    """Why the guard exists (if this fails, the SDK fixed its leak and the guard is merely harmless).

    With the recursion limit lowered to 200 the bare SDK fails after ~185 calls instead of ~985: same cause,
    faster test.
    """
    output = run_python(
        """
        import sys
        from pulumi.dynamic.dynamic import serialize_provider
        from pulumi_phonecfg.provider import PhoneConfigProvider
        sys.setrecursionlimit(200)
        for call in range(1, 1_000):
            try:
                serialize_provider(PhoneConfigProvider())
            except RecursionError:
                print(call)
                break
        """
    )
    assert output and 100 < int(output) < 200, output


def test_the_guard_restores_the_pickler_exactly_and_pickles_like_a_fresh_process(fresh_process_pickle: str) -> None:
    output = run_python(
        """
        import sys
        from pulumi.dynamic.dynamic import serialize_provider
        from pulumi_phonecfg.dynamic.pickler_guard import isolated_pickler, pickler_state
        from pulumi_phonecfg.provider import PhoneConfigProvider
        sys.setrecursionlimit(200)
        before = pickler_state()
        pickles = set()
        for _ in range(1_000):
            with isolated_pickler():
                pickles.add(serialize_provider(PhoneConfigProvider()))
            assert pickler_state() == before
        print(*pickles)
        """
    )
    assert output == fresh_process_pickle


def test_the_standard_methods_are_found_even_after_earlier_leaks() -> None:
    output = run_python(
        """
        import pickle
        from pulumi.dynamic.dynamic import serialize_provider
        from pulumi_phonecfg.provider import PhoneConfigProvider
        stdlib = {name: vars(pickle._Pickler)[name] for name in ("_batch_setitems", "save_dict")}
        for _ in range(3):
            serialize_provider(PhoneConfigProvider())  # leaks three layers before the guard is imported
        from pulumi_phonecfg.dynamic.pickler_guard import STDLIB_METHODS
        found = STDLIB_METHODS["_batch_setitems"]
        print(found is stdlib["_batch_setitems"], vars(pickle._Pickler)["_batch_setitems"] is found)
        """
    )
    assert output == "True False"


def test_the_guard_restores_patches_made_by_others_too() -> None:
    def foreign(self: Any, items: Any) -> None:
        raise AssertionError("not used")

    before = pickler_state()
    pickle._Pickler._batch_setitems = foreign  # type: ignore[method-assign]
    try:
        with isolated_pickler():
            assert vars(pickle._Pickler)["_batch_setitems"] is STDLIB_METHODS["_batch_setitems"]
        assert vars(pickle._Pickler)["_batch_setitems"] is foreign
    finally:
        pickle._Pickler._batch_setitems = before[1]  # type: ignore[method-assign]
    assert pickler_state() == before


class ProviderRecorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.pickles: set[str] = set()
        self.count = 0

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.count += 1
        self.pickles.add(args.inputs["__provider"])
        return f"{args.name}-id", {}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.mark.slow
def test_5000_phone_configs_in_one_process(fresh_process_pickle: str) -> None:
    recorder = ProviderRecorder()
    pulumi.runtime.set_mocks(recorder, preview=False)
    before = pickler_state()

    @pulumi.runtime.test
    def program() -> None:
        for index in range(REGISTRATIONS):
            PhoneConfig(f"trunk-{index}", name=f"trunk-{index}")
            assert pickler_state() == before, f"pickler changed by registration {index}"

    program()
    assert recorder.count == REGISTRATIONS
    assert recorder.pickles == {fresh_process_pickle}
    assert pickler_state() == before
