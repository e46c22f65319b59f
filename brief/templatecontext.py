"""The context our Jinja environments render with (render.py, timeline_svg.py).

Jinja compiles every call in a template, `{{ page.link(...) }}`, `{{ e.date.display() }}`,
to `context.call(f, ...)`, which first looks whether `f` (or its `__call__`) wants the
context, the evaluation context or the environment passed in. A plain function or
method has no `__call__` of its own that could, so `FastCallContext` calls it at once,
after the same look at the function itself; everything else (a function marked to take
the context, such as Jinja's own newstyle `gettext`; a callable object) goes through
Jinja's own `call`. The result is
the same; at 10,000 events some 250,000 calls each cost about a microsecond less. In a
brief's sandbox, the sandbox checks a call before it reaches the context (brief/sandbox.py).
"""
from __future__ import annotations

import types

import jinja2.runtime
from jinja2.utils import internalcode

_PLAIN_CALLABLES = frozenset({types.FunctionType, types.MethodType,
                              types.BuiltinFunctionType, types.BuiltinMethodType})


class FastCallContext(jinja2.runtime.Context):
    @internalcode
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        if type(__obj) in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            if kwargs:  # (the variables of the loop or block a call is in, for `call`)
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja's call
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return jinja2.runtime.Context.call(__self, __obj, *args, **kwargs)
