"""The theme's sandbox, with Jinja's rules for attributes decided once per type and name."""

from __future__ import annotations

import types
from typing import Any

from jinja2 import Undefined
from jinja2.sandbox import SandboxedEnvironment

_METHODS = (types.MethodType, types.BuiltinMethodType)  # neither can be subclassed


class Sandbox(SandboxedEnvironment):
    """A SandboxedEnvironment whose attribute checks are cached: Jinja's ``is_safe_attribute`` depends only on
    the object's type and the attribute's name (``jinja2.sandbox.is_internal_attribute``), and a page reads
    the same few hundred attributes of the same types thousands of times. Same results, same errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def getattr(self, obj: Any, attribute: str) -> Any | Undefined:
        """``SandboxedEnvironment.getattr``, with the safety of ``attribute`` on ``type(obj)`` remembered."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # looked up as an item, or undefined
        if type(value) in _METHODS:
            fmt = self.wrap_str_format(value)  # str.format: sandboxed
            if fmt is not None:
                return fmt
        key = (type(obj), attribute)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = self.is_safe_attribute(obj, attribute, value)
        return value if safe else self.unsafe_undefined(obj, attribute)
