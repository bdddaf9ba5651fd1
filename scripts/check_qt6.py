#!/usr/bin/env python3
"""Qt6 / QGIS 4 readiness of the plugin's Python, checked against the real PyQt6.

QGIS 4 runs on Qt6 through PyQt6, whose enums are scoped only (`Qt.AlignmentFlag.AlignLeft`, never
`Qt.AlignLeft`), which has no `exec_()`, no QRegExp, QDesktopWidget ..., and whose QGIS bindings keep
only the scoped form of QGIS's own enums. This script reads the plugin with `ast` (it is not
imported) and reports, as file:line, every use QGIS 4 would not have:

- Qt:      a name used through qgis.PyQt (imports and attribute chains such as
           `QDialogButtonBox.StandardButton.Ok`) that does not resolve in PyQt6, or a PyQt6 enum that is
           not an int used as a number; resolved in a separate Python that has PyQt6 (build/qt6-venv,
           made once with pip), with the names qgis.PyQt adds under Qt6 (QAction ... in QtWidgets);
- typed:   a Qt method called on an object whose Qt class the file shows (made there, `self.x = QComboBox()`,
           fontMetrics(), the event of an overridden handler such as canvasReleaseEvent) that PyQt6's class
           lacks (QMouseEvent.x(), QFontMetrics.width() ...);
- method:  a method called on any object whose name exists in PyQt5's classes but in none of PyQt6's
           (exec_, print_ ...), nor in QGIS's own classes;
- import:  Qt imported from PyQt5/PyQt6/sip directly instead of qgis.PyQt;
- QGIS:    a QGIS enum value reached unscoped (`QgsProcessing.TypeVectorPolygon`): resolved with the
           host's QGIS, it is flagged when its enum type is an attribute of the class; and a QGIS
           callable the host's PyQGIS documents as deprecated (QGIS 4 removed those), reached through
           its class or, for a method called on any object, deprecated in every QGIS class that has it.

Lines ending in `# Qt5 only` run only on Qt5 (behind a version test) and are not checked; they are
accepted in the one compatibility module (COMPAT_MODULE) only.

usage: .venv/bin/python scripts/check_qt6.py [paths...]     (default: the plugin; exit 1 on findings)
       build/qt6-venv/bin/python scripts/check_qt6.py --resolve   (internal: JSON in, JSON out)
"""
import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT6_VENV = ROOT / "build" / "qt6-venv"
QT5_ONLY = "# Qt5 only"
COMPAT_MODULE = "plugin/core/compat.py"
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtXml", "QtNetwork", "QtPrintSupport", "QtSvg", "QtSql")
# What qgis.PyQt.QtWidgets re-exports from QtGui under Qt6 (QGIS PRs 55658, 57467), so one import works
# on QGIS 3 and 4.
QT6_WIDGETS_COMPAT = ("QAction", "QShortcut", "QActionGroup")
QGIS_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis")
# The event an overridden handler receives, by a word of its name (first match; unknown names: none).
# Qt6 dropped methods from some events (QMouseEvent.x(), QWheelEvent.pos() ...) that other classes keep.
HANDLER_EVENTS = (("Wheel", "QWheelEvent"), ("Key", "QKeyEvent"), ("Press", "QMouseEvent"),
                  ("Release", "QMouseEvent"), ("Move", "QMouseEvent"), ("DoubleClick", "QMouseEvent"),
                  ("Resize", "QResizeEvent"), ("Drop", "QDropEvent"), ("DragEnter", "QDragEnterEvent"),
                  ("ContextMenu", "QContextMenuEvent"))


def plugin_files():
    files = [ROOT / "__init__.py"]
    files += sorted(p for p in (ROOT / "plugin").rglob("*.py") if "vendor" not in p.parts)
    return files


class Use:
    """One Qt or QGIS name chain at file:line: kind 'qt' / 'typed' / 'qgis' / 'method' / 'import' /
    'qt5only'."""

    def __init__(self, path, line, kind, module, chain, as_int=False):
        self.path, self.line, self.kind, self.module, self.chain = path, line, kind, module, chain
        self.as_int = as_int  # used as a number (arithmetic, int()): PyQt6's plain enums are not ints

    def where(self):
        try:
            rel = Path(self.path).resolve().relative_to(ROOT)
        except ValueError:
            rel = self.path
        return f"{rel}:{self.line}"


_FLAG_OPS = (ast.BitOr, ast.BitAnd, ast.BitXor)


def _qt_class(call, roots):
    """(module, class) when call makes a Qt object: QComboBox(...), widget.fontMetrics()."""
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and roots.get(call.func.id, ("",))[0] == "qt":
        _, module, first = roots[call.func.id]
        return (module, first[0]) if first else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "fontMetrics":
        return ("QtGui", "QFontMetrics")
    return None


def _receiver(expr):
    """'name' or 'self.name' for a plain receiver, else None."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
        return "self." + expr.attr
    return None


def _typed_calls(path, tree, roots, skip):
    """Methods called on objects whose Qt class is known: QComboBox(...).m(), a variable or self attribute
    assigned a Qt object, an event handler's event (Qt6 dropped methods from some classes that other
    classes keep, e.g. QMouseEvent.x(), QFontMetrics.width()); kind 'typed', chain [class, method]."""
    def assigned(scope, only_self):
        known = {}  # None: assigned something else too, so unknown
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                cls = _qt_class(node.value, roots)
                for name in map(_receiver, node.targets):
                    if name and name.startswith("self.") == only_self:
                        known[name] = cls if known.get(name, cls) == cls else None
        return known
    attributes = assigned(tree, True)
    uses = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        known = dict(attributes, **assigned(func, False))
        if func.name.endswith("Event") and len(func.args.args) >= 2:
            event_class = next((c for word, c in HANDLER_EVENTS if word.lower() in func.name.lower()), None)
            known[func.args.args[1].arg] = ("QtGui", event_class) if event_class else None
        for call in ast.walk(func):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.lineno not in skip):
                cls = _qt_class(call.func.value, roots) or known.get(_receiver(call.func.value))
                if cls:
                    uses.append(Use(path, call.lineno, "typed", cls[0], [cls[1], call.func.attr]))
    return uses


def scan(path):
    """The Qt and QGIS uses of one file; lines marked QT5_ONLY are left out."""
    source = Path(path).read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    skip = {i + 1 for i, text in enumerate(lines) if text.rstrip().endswith(QT5_ONLY)}
    roots, uses = {}, []  # local name -> (kind, module, [imported name] or [])
    if skip and Path(path).resolve() != ROOT / COMPAT_MODULE:
        uses += [Use(path, line, "qt5only", "", []) for line in sorted(skip)]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.lineno not in skip:
            mod = node.module
            if mod.split(".")[0] in ("PyQt5", "PyQt6", "sip"):
                uses.append(Use(path, node.lineno, "import", mod, []))
            elif mod == "qgis.PyQt":
                for a in node.names:
                    roots[a.asname or a.name] = ("qt", a.name, [])
            elif mod.startswith("qgis.PyQt."):
                sub = mod.split(".", 2)[2]
                for a in node.names:
                    roots[a.asname or a.name] = ("qt", sub, [a.name])
                    uses.append(Use(path, node.lineno, "qt", sub, [a.name]))
            elif mod in QGIS_MODULES:
                for a in node.names:
                    roots[a.asname or a.name] = ("qgis", mod, [a.name])
        elif isinstance(node, ast.Import) and node.lineno not in skip:
            for a in node.names:
                if a.name.split(".")[0] in ("PyQt5", "PyQt6", "sip"):
                    uses.append(Use(path, node.lineno, "import", a.name, []))
    uses += _typed_calls(path, tree, roots, skip)
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.lineno in skip:
            continue
        if isinstance(parents.get(node), ast.Attribute):
            continue  # only the longest chain
        chain, base = [node.attr], node.value
        while isinstance(base, ast.Attribute):
            chain.insert(0, base.attr)
            base = base.value
        if isinstance(base, ast.Name) and base.id in roots:
            kind, module, first = roots[base.id]
            parent = parents.get(node)
            as_int = (isinstance(parent, ast.BinOp) and not isinstance(parent.op, _FLAG_OPS)) or (
                isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "int")
            uses.append(Use(path, node.lineno, kind, module, first + chain, as_int))
        elif isinstance(parents.get(node), ast.Call) and parents[node].func is node:
            uses.append(Use(path, node.lineno, "method", "", [node.attr]))
    return uses


# --- inside the PyQt6 venv ---------------------------------------------------------------------------

def _qt6_members():
    """Every attribute name of every class in PyQt6's modules (for the method check)."""
    import importlib
    names = set()
    for m in QT_MODULES:
        mod = importlib.import_module("PyQt6." + m)
        for cls in vars(mod).values():
            if isinstance(cls, type):
                names.update(dir(cls))
    return names


def _resolve_qt6(request):
    """[[module, chain, as_int], ...] -> [null or "problem", ...], resolved in PyQt6 with qgis.PyQt's
    additions."""
    import enum
    import importlib
    out = []
    for module, chain, as_int in request:
        try:
            obj = importlib.import_module("PyQt6." + module)
        except ImportError:
            out.append(f"PyQt6 has no module {module}")
            continue
        problem = None
        for i, name in enumerate(chain):
            if module == "QtWidgets" and i == 0 and name in QT6_WIDGETS_COMPAT:
                obj = getattr(importlib.import_module("PyQt6.QtGui"), name)
                continue
            if hasattr(obj, name):
                obj = getattr(obj, name)
                continue
            hint = ""
            if isinstance(obj, type):
                scopes = [k for k, v in vars(obj).items() if isinstance(v, enum.EnumMeta) and name in v.__members__]
                if scopes:
                    hint = "; use " + ".".join(chain[:i] + [scopes[0], name])
            problem = f"{'.'.join(chain[:i + 1])} is not in PyQt6{hint}"
            break
        if problem is None and as_int and isinstance(obj, enum.Enum) and not isinstance(obj, int):
            problem = f"{'.'.join(chain)} is used as a number, but is not an int in PyQt6; use .value"
        out.append(problem)
    return out


def _resolve_main():
    request = json.load(sys.stdin)
    json.dump({"chains": _resolve_qt6(request), "members": sorted(_qt6_members())}, sys.stdout)


# --- on the host (QGIS 3.22, PyQt5) ------------------------------------------------------------------

class Qt6Unavailable(RuntimeError):
    """No Python with PyQt6: build/qt6-venv could not be made (the message has pip's own words)."""


def _has_pyqt6(py):
    return py.exists() and subprocess.run([str(py), "-c", "import PyQt6.QtWidgets"],
                                          capture_output=True).returncode == 0


def qt6_python():
    """The venv Python that has PyQt6, made once under build/qt6-venv (pip install PyQt6)."""
    py = QT6_VENV / "bin" / "python"
    if not _has_pyqt6(py):
        base = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        for cmd in ([base, "-m", "venv", "--clear", str(QT6_VENV)],
                    [str(py), "-m", "pip", "install", "-q", "PyQt6"]):
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
            if run.returncode != 0:
                raise Qt6Unavailable(f"{' '.join(cmd)} failed: {(run.stderr or run.stdout)[-1500:]}")
        if not _has_pyqt6(py):
            raise Qt6Unavailable(f"PyQt6 installed into {QT6_VENV} but does not import")
    return str(py)


def _deprecated(name, value):
    """Every overload of a PyQGIS callable documented as deprecated (QGIS 4 dropped what QGIS 3 deprecated)."""
    doc = getattr(value, "__doc__", None) or ""
    return doc.count(".. deprecated") >= max(1, len(re.findall(rf"^{re.escape(name)}\(", doc, re.M)))


def _qt5_and_qgis_members():
    """Method names of PyQt5's classes; the names QGIS's own classes define; of those, the callables
    deprecated in every QGIS class that has them."""
    import importlib
    qt5, qgis, deprecated = set(), set(), {}
    for m in QT_MODULES:
        try:
            mod = importlib.import_module("PyQt5." + m)
        except ImportError:
            continue
        for cls in vars(mod).values():
            if isinstance(cls, type):  # methods only: PyQt5's unscoped enum values are the Qt check's
                qt5.update(n for n in dir(cls) if callable(getattr(cls, n, None))
                           and not isinstance(getattr(cls, n), type))
    for m in QGIS_MODULES:
        for cls in vars(importlib.import_module(m)).values():
            if isinstance(cls, type):  # its own names, not Qt5's it re-declares (QThread.exec_ ...)
                inherited = {n for b in cls.__mro__ if b.__module__.startswith("PyQt5") for n in dir(b)}
                for name in set(vars(cls)) - inherited:
                    qgis.add(name)
                    value = getattr(cls, name, None)
                    if callable(value) and not isinstance(value, type):
                        deprecated[name] = deprecated.get(name, True) and _deprecated(name, value)
    return qt5, qgis, {n for n, d in deprecated.items() if d}


def _in_pyqt5(use):
    """Whether a typed call's method is the Qt class's own (not a method of the plugin's subclass)."""
    import importlib
    try:
        return hasattr(getattr(importlib.import_module("PyQt5." + use.module), use.chain[0]), use.chain[1])
    except (ImportError, AttributeError):
        return False


def _qgis_problem(use):
    """A problem text when use.chain reaches a QGIS enum value without its enum type, or a deprecated
    callable, else None."""
    import importlib
    obj = importlib.import_module(use.module)
    for i, name in enumerate(use.chain):
        owner, obj = obj, getattr(obj, name, None)
        if obj is None:
            return None  # not a QGIS attribute (or a newer QGIS's): nothing to say
        if i and callable(obj) and not isinstance(obj, type) and _deprecated(name, obj):
            return f"{'.'.join(use.chain[:i + 1])} is deprecated in QGIS 3 (gone in QGIS 4)"
        scope = type(obj)
        if i == 0 or not isinstance(owner, type) or scope in (int, bool, str, float):
            continue
        scope_name = scope.__name__
        if (getattr(owner, scope_name, None) is scope and name != scope_name
                and use.chain[i - 1] != scope_name and getattr(scope, name, None) is not None):
            scoped = ".".join(use.chain[:i] + [scope_name, name])
            return f"{'.'.join(use.chain[:i + 1])} is an unscoped enum value; use {scoped}"
    return None


def check(paths=None, qt6_py=None):
    """Findings as ["file:line: problem", ...]; raises Qt6Unavailable when PyQt6 cannot be had."""
    paths = [Path(p) for p in paths] if paths else plugin_files()
    uses = [u for p in paths for u in scan(p)]
    qt6_py = qt6_py or qt6_python()
    qt_uses = [u for u in uses if u.kind == "qt" or u.kind == "typed" and _in_pyqt5(u)]
    run = subprocess.run([qt6_py, os.path.abspath(__file__), "--resolve"], capture_output=True, text=True,
                         input=json.dumps([[u.module, u.chain, u.as_int] for u in qt_uses]))
    if run.returncode != 0:
        raise RuntimeError("PyQt6 resolver failed: " + run.stderr[-2000:])
    answer = json.loads(run.stdout)
    qt6_members = set(answer["members"])
    qt5_members, qgis_members, qgis_deprecated = _qt5_and_qgis_members()
    removed = qt5_members - qt6_members - qgis_members
    qgis_deprecated -= qt6_members
    findings = []
    for u, problem in zip(qt_uses, answer["chains"]):
        if problem:
            findings.append((u, f"Qt: {problem}"))
    for u in uses:
        if u.kind == "import":
            findings.append((u, f"imports {u.module}: import Qt through qgis.PyQt"))
        elif u.kind == "qt5only":
            findings.append((u, f"'{QT5_ONLY}' outside {COMPAT_MODULE}: keep version switches there"))
        elif u.kind == "method" and u.chain[0] in removed:
            findings.append((u, f".{u.chain[0]}() exists in PyQt5 but not in PyQt6"))
        elif u.kind == "method" and u.chain[0] in qgis_deprecated:
            findings.append((u, f".{u.chain[0]}() is deprecated in QGIS 3 (gone in QGIS 4)"))
        elif u.kind == "qgis":
            problem = _qgis_problem(u)
            if problem:
                findings.append((u, f"QGIS: {problem}"))
    findings.sort(key=lambda f: (str(f[0].path), f[0].line))
    return [f"{u.where()}: {text}" for u, text in findings]


def main():
    if sys.argv[1:] == ["--resolve"]:
        _resolve_main()
        return 0
    findings = check(sys.argv[1:] or None)
    for line in findings:
        print(line)
    print(f"{len(findings)} Qt6 / QGIS 4 problem(s)" if findings else "Qt6 / QGIS 4 check: clean")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
