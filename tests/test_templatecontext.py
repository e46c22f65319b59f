"""brief/templatecontext.py: calls through FastCallContext give what Jinja's own
Context.call gives, for every kind of callable a template can call."""
from __future__ import annotations

import jinja2
import pytest
from jinja2 import pass_context, pass_environment, pass_eval_context

from brief.templatecontext import FastCallContext

pytestmark = pytest.mark.fast


class Helper:
    def method(self, x, y=1):
        return f"method {x} {y}"

    @pass_context
    def with_context(self, context, x):
        return f"ctx {context['name']} {x}"


class CallableObject:
    def __call__(self, x):
        return f"object {x}"


class ContextCallable:
    @pass_context
    def __call__(self, context, x):
        return f"object ctx {context['name']} {x}"


def stops():
    raise StopIteration


TEMPLATE = """\
{{ plain(1) }} {{ plain(2, y=3) }} {{ h.method(4) }} {{ h.with_context(5) }}
{{ builtin([3, 1, 2]) }} {{ obj(6) }} {{ ctx_obj(7) }} {{ env_fn() }} {{ eval_fn() }}
{% for i in [1, 2] %}{% set name = "loop" %}{{ ctx_fn(i) }} {{ plain(i) }} {{ h.with_context(i) }};{% endfor %}
{{ stops() is undefined }} {{ _("word") }}
"""


def render(context_class) -> str:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)
    if context_class is not None:
        env.context_class = context_class
    return env.from_string(TEMPLATE).render(
        name="top", plain=lambda x, y=1: f"plain {x} {y}", h=Helper(), builtin=sorted,
        obj=CallableObject(), ctx_obj=ContextCallable(),
        env_fn=pass_environment(lambda env: f"env {type(env).__name__}"),
        eval_fn=pass_eval_context(lambda ec: f"eval {ec.autoescape}"),
        ctx_fn=pass_context(lambda c, i: f"ctx {c['name']} {i}"), stops=stops)


def test_every_kind_of_call_gives_what_jinjas_context_gives():
    ours, theirs = render(FastCallContext), render(None)
    assert ours == theirs
    assert "ctx loop 1" in ours and "plain 2 3" in ours and "object ctx top 7" in ours
    assert "True" in ours  # a StopIteration is an undefined value, as in Jinja


def test_the_fast_path_is_taken_for_plain_functions_only(monkeypatch):
    seen = []
    slow = jinja2.runtime.Context.call

    def spy(self, obj, *args, **kwargs):
        seen.append(obj)
        return slow(self, obj, *args, **kwargs)
    monkeypatch.setattr(jinja2.runtime.Context, "call", spy)
    env = jinja2.Environment()
    env.context_class = FastCallContext
    plain = lambda x: x  # noqa: E731
    ctx_fn = pass_context(lambda c, x: x)
    obj = CallableObject()
    env.from_string("{{ plain(1) }}{{ ctx_fn(2) }}{{ obj(3) }}").render(
        plain=plain, ctx_fn=ctx_fn, obj=obj)
    assert seen == [ctx_fn, obj]
