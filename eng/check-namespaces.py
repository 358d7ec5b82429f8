#!/usr/bin/env python3
"""Checks that every file under src/Runtime declares the namespace of its folder (ParallelGen.<Folder>.<Sub>).
Two kinds of file may declare otherwise:
  - a file whose top-level types are public may declare `ParallelGen`: the public API lives in one namespace
    (ProcessLock in Synchronization/, WorkerException in Exceptions/, a handle's codec beside its handle);
  - Hosting/StartupHook.cs is in the global namespace, because the runtime's DOTNET_STARTUP_HOOKS contract asks for it.
Run: python3 eng/check-namespaces.py   (prints each file that breaks the rule; exit 1 if any)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "src", "Runtime")
GLOBAL_NAMESPACE = {os.path.join("Hosting", "StartupHook.cs")}
# Known and waiting for another branch, not exceptions to the rule: remove an entry once its file is fixed.
PENDING = {
}
NAMESPACE = re.compile(r"^namespace ([\w.]+);", re.M)
TOP_LEVEL_TYPE = re.compile(r"^(public|internal|file)?\s*((?:static|sealed|abstract|readonly|unsafe|partial|ref|record)\s+)*(class|struct|interface|enum|record|delegate)\b", re.M)


def problems():
    for folder, dirs, files in os.walk(RUNTIME):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
        for name in sorted(files):
            if not name.endswith(".cs"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, RUNTIME)
            text = open(path, encoding="utf-8").read()
            found = NAMESPACE.search(text)
            declared = found.group(1) if found else None
            sub = os.path.dirname(rel)
            expected = "ParallelGen" + ("." + sub.replace(os.sep, ".") if sub else "")
            if rel in GLOBAL_NAMESPACE:
                if declared is not None:
                    yield f"{rel}: declares {declared}, but a startup hook must be in the global namespace"
                continue
            if declared == expected or rel in PENDING:
                continue
            visibilities = {m.group(1) or "internal" for m in TOP_LEVEL_TYPE.finditer(text)}
            if declared == "ParallelGen" and visibilities == {"public"}:
                continue
            what = "public API types may use ParallelGen, " if "public" in visibilities else ""
            yield f"{rel}: declares {declared or 'no namespace'}; its folder's namespace is {expected} ({what}internal types use their folder's)"


def main():
    found = list(problems())
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} file(s) declare a namespace that doesn't match their folder.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
