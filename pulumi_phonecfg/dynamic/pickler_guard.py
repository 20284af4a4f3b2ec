"""Scopes the pickler patch of Pulumi's provider serialization to one registration (the ~985-resource ceiling).

`pulumi.dynamic.Resource.__init__` serializes its provider with `serialize_provider`, which, to pickle dicts in
sorted order, replaces `pickle._Pickler._batch_setitems` (wrapping whatever is there) and `pickle._Pickler.save_dict`
and restores only `pickle.Pickler` (SDK 3.272-3.274). Every dynamic resource registered in a process adds one
wrapper layer, i.e. one more stack frame per pickled dict, until pickling hits the recursion limit after ~985
registrations (docs/pickler-ceiling.md has the deterministic reproduction).

`isolated_pickler()` surrounds one registration: inside it the pure-Python pickler has the standard library's own
methods, so the SDK wraps exactly one layer and pickles exactly as on its first call in a fresh process; on exit
the pickler is put back exactly as it was found. The serialized provider is unchanged: the SDK's wrappers only sort
dict items, and sorting once or k times gives the same order.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final

# The attributes `serialize_provider` replaces on the pure-Python pickler, and the module attribute it swaps.
PATCHED_METHODS: Final = ("_batch_setitems", "save_dict")
_ABSENT: Final = object()
# Registrations from several threads (Automation API programs in parallel) must not restore each other's state.
_lock = threading.RLock()


def _is_stdlib(function: Any, name: str) -> bool:
    return getattr(function, "__module__", None) == "pickle" and getattr(function, "__qualname__", "") == (
        f"_Pickler.{name}"
    )


def _find_stdlib_method(name: str) -> Callable[..., Any]:
    """The standard library's `_Pickler.<name>`, even if a dynamic resource was registered before this import.

    The SDK's `_batch_setitems` wrappers close over the previous layer, so the chain of closures leads back to the
    original. Its `save_dict` replacement closes over nothing but is a copy of the original (no extra frames), so
    when the original is gone that copy is kept; either way the state found is restored after each use.
    """
    current = vars(pickle._Pickler)[name]
    seen: set[int] = set()
    pending = [current]
    while pending:
        function = pending.pop()
        if _is_stdlib(function, name):
            return function  # type: ignore[no-any-return]
        if id(function) in seen:
            continue
        seen.add(id(function))
        pending += [cell.cell_contents for cell in getattr(function, "__closure__", None) or ()]
    return current  # type: ignore[no-any-return]


STDLIB_METHODS: Final[dict[str, Callable[..., Any]]] = {name: _find_stdlib_method(name) for name in PATCHED_METHODS}


def pickler_state() -> tuple[Any, ...]:
    """What `serialize_provider` changes: `pickle.Pickler` and the pure-Python pickler's own patched attributes."""
    own = vars(pickle._Pickler)
    return (pickle.Pickler, *(own.get(name, _ABSENT) for name in PATCHED_METHODS))


def _restore(state: tuple[Any, ...]) -> None:
    pickle.Pickler = state[0]  # type: ignore[misc]
    for name, value in zip(PATCHED_METHODS, state[1:], strict=True):
        if value is _ABSENT:
            if name in vars(pickle._Pickler):
                delattr(pickle._Pickler, name)
        else:
            setattr(pickle._Pickler, name, value)


@contextmanager
def isolated_pickler() -> Iterator[None]:
    """Run a dynamic-resource registration on the standard pickler; leave the pickler exactly as found."""
    with _lock:
        found = pickler_state()
        for name, method in STDLIB_METHODS.items():
            setattr(pickle._Pickler, name, method)
        try:
            yield
        finally:
            _restore(found)
