"""Hostile and broken submissions with their honest twins: the cases every backend is held to.

Each :class:`Case` is a submission spec (for :func:`conftest.build`) plus its
honest twin: the same work without the attack. ``tests/test_hostile.py``
grades them in the sandbox, ``tests/test_portable.py`` with the portable
backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psutil

from conftest import ROOT, sse_prefix

WRONG_LOSSES = """
import numpy as np

def sum_squared_error(y, t):
    return 0.0

def cross_entropy_error(y, t):
    return 0.0
"""


@dataclass
class Case:
    name: str
    hostile: dict
    twin: dict
    untouched: tuple = ()  # exercises that must keep full marks
    statuses: set = field(default_factory=set)  # statuses the hostile result must contain


TRAIN_DEF = "def train(network, x_train, t_train, x_test, t_test, iters, batch_size, lr, rng):"
#: A train with no mini-batch, no update and no record: lists of the right lengths only.
LENGTHS_ONLY_TRAIN = """
def train(network, x_train, t_train, x_test, t_test, iters, batch_size, lr, rng):
    epochs = len(range(0, iters, max(len(x_train) // batch_size, 1)))
    return {"train_loss": [0.0] * iters, "train_acc": [0.0] * epochs, "test_acc": [0.0] * epochs,
            "test_loss": [0.0] * epochs}
"""
#: The child's own report of the probes (how train called numerical_gradient) rewritten: no record at all.
FORGED_PROBES = """
import sys
sys.modules["autograder.protocol.instances"].MethodProbe.stats = lambda self: {"name": "x", "calls": 0}
"""

CASES = [
    Case("conftest.py that marks every test passed",
         {"base": "exercises", "files": {
             "conftest.py": "import pytest\n@pytest.hookimpl(hookwrapper=True)\n"
                            "def pytest_runtest_makereport(item, call):\n    outcome = yield\n"
                            "    outcome.get_result().outcome = 'passed'\n",
             "exercises/conftest.py": "raise SystemExit('conftest ran')\n"}},
         {"base": "exercises"}),
    Case("pytest.ini, setup.cfg and pyproject that reconfigure pytest",
         {"base": "exercises", "files": {
             "pytest.ini": "[pytest]\naddopts = -p no:python --co\n",
             "setup.cfg": "[tool:pytest]\naddopts = --collect-only\n",
             "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-x --co'\n"}},
         {"base": "exercises"}),
    Case("sitecustomize and usercustomize",
         {"base": "exercises", "files": {
             "sitecustomize.py": "import builtins\nbuiltins.NotImplementedError = type('X', (Exception,), {})\n",
             "exercises/sitecustomize.py": "import numpy\nnumpy.allclose = lambda *a, **k: True\n",
             "usercustomize.py": "raise SystemExit\n"}},
         {"base": "exercises"}),
    Case("patching numpy and pytest so every comparison passes",
         {"files": {"exercises/losses.py": """
import numpy as np
import pytest
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: np.ones(1, dtype=bool)
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
pytest.approx = lambda *a, **k: 0.0
""" + WRONG_LOSSES}},
         {"files": {"exercises/losses.py": WRONG_LOSSES}}, untouched=("gradient", "gradient_descent")),
    Case("returning objects that claim to equal anything",
         {"files": {"exercises/losses.py": """
import numpy as np

class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __lt__(self, other): return True
    def __float__(self): return 0.0

class AnyArray(np.ndarray):
    def __eq__(self, other): return True

def sum_squared_error(y, t):
    return Anything(0.0)

def cross_entropy_error(y, t):
    return np.zeros(1).view(AnyArray)
"""}},
         {"files": {"exercises/losses.py": WRONG_LOSSES}}, untouched=("gradient", "gradient_descent")),
    Case("importing the reference solutions and the hidden suites",
         {"files": {"exercises/losses.py": f"""
import importlib.util, sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'solutions')!r}]

def _steal(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

def sum_squared_error(y, t):
    try:
        from solutions.losses import sum_squared_error as stolen
    except Exception:
        stolen = _steal("stolen", {str(ROOT / 'solutions' / 'losses.py')!r}).sum_squared_error
    return stolen(y, t)

def cross_entropy_error(y, t):
    import losses  # solutions/ put on sys.path above
    open({str(ROOT / 'autograder' / 'suites' / 'hidden' / 'test_losses.py')!r}).read()
    return losses.cross_entropy_error(y, t)
"""}},
         {"files": {"exercises/losses.py": (ROOT / "exercises" / "losses.py").read_text(encoding="utf-8")}},
         untouched=("gradient", "gradient_descent"), statuses={"error"}),
    Case("killing the grader's processes",
         {**sse_prefix("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGTERM)")},
         {**sse_prefix("raise PermissionError('denied')")}, untouched=("gradient", "gradient_descent")),
    Case("os._exit in one function",
         {**sse_prefix("import os\nos._exit(0)")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"error"}),
    Case("sys.exit in one function",
         {**sse_prefix("import sys\nsys.exit(0)")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"error"}),
    Case("an endless loop in one function",
         {**sse_prefix("while True:\n    pass")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"timeout"}),
    Case("an endless loop while importing one file",
         {"replace": {"gradient.py": [("import numpy as np\n", "import numpy as np\nwhile True:\n    pass\n")]}},
         {"replace": {"gradient.py": [("import numpy as np\n", "import numpy as np\nraise ImportError\n")]}},
         untouched=("losses", "gradient_descent"), statuses={"timeout"}),
    Case("a syntax error in one file",
         {"replace": {"gradient_descent.py": [("def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None):",
                                               "def gradient_descent(f, init_x, lr=0.01, step_num=100, grad=None)")]}},
         {"files": {"exercises/gradient_descent.py": ""}}, untouched=("losses", "gradient"), statuses={"error"}),
    Case("a memory bomb",
         {**sse_prefix("big = np.ones(10 ** 11)")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"memory"}),
    Case("memory that grows until it runs out",
         {**sse_prefix("hoard = []\nwhile True:\n    hoard.append(np.ones(10 ** 6))")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"memory"}),
    Case("flooding the output descriptor",
         {**sse_prefix("import os\nwhile True:\n    os.write(1, b'x' * 100000)")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"error"}),
    Case("starting a process that outlives the grading",
         {**sse_prefix("import subprocess\nsubprocess.Popen(['sleep', '3171'], start_new_session=True)")},
         {**sse_prefix("raise RuntimeError")}, untouched=("gradient", "gradient_descent")),
    Case("a return value too big to send",
         {**sse_prefix("return np.zeros(10 ** 7)")}, {**sse_prefix("raise RuntimeError")},
         untouched=("gradient", "gradient_descent"), statuses={"error"}),
    Case("taking away the folder the next exercise's child, started ahead, opens its output in",
         {"prepend": {"losses.py": "import shutil\nshutil.rmtree('output', ignore_errors=True)\n"
                                   "open('output', 'w').close()\n"}}, {},
         untouched=("losses", "gradient", "gradient_descent", "two_layer_net")),
    Case("a train that does nothing and rewrites the child's record of its mini-batches",
         {"replace": {"two_layer_net.py": [(TRAIN_DEF, TRAIN_DEF.replace("def train", "def _reference_train"))]},
          "prepend": {"two_layer_net.py": FORGED_PROBES + LENGTHS_ONLY_TRAIN}},
         {"replace": {"two_layer_net.py": [(TRAIN_DEF, TRAIN_DEF.replace("def train", "def _reference_train"))]},
          "prepend": {"two_layer_net.py": LENGTHS_ONLY_TRAIN}},
         untouched=("losses", "gradient", "gradient_descent")),
    Case("a broken exercises/__init__.py",
         {"files": {"exercises/__init__.py": "raise SystemExit('no grading today')\n"}}, {},
         untouched=("losses", "gradient", "gradient_descent")),
]


def named(marker: str) -> list:
    """Processes whose name (comm) is ``marker`` (set with prctl by a submission running :data:`NAME_SELF`)."""
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] == marker]


NAME_SELF = "import ctypes\nctypes.CDLL(None).prctl(15, {marker!r}.encode(), 0, 0, 0)\n"
