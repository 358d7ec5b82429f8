#!/usr/bin/env python3
"""Checks that no layer of src/Runtime calls upward: each folder (a layer) may use only the layers listed for it in
LAYERS below, which is the order docs/architecture.md describes.
A file uses a layer when it names its namespace (`using ParallelGen.Protocol;`, `ParallelGen.Protocol.X`, `Protocol.X`)
or names a public type that layer declares in namespace ParallelGen (`ProcessQueue<T>` in Primitives/, `WorkerException`
in Exceptions/). Comments and string literals don't count. Subfolders belong to their folder's layer
(Brokering/Queues is Brokering); the files directly in src/Runtime are the layer "(root)", the public pool API. A public
type that a lower layer needs sits in that layer's folder (WorkerTransport in Transport/, WorkerInitializer in Execution/).
Run: python3 eng/check-layers.py          prints each use that breaks the order; exit 1 if any
     python3 eng/check-layers.py --graph  prints which layer uses which (to update LAYERS or the docs)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "src", "Runtime")
ROOT_LAYER = "(root)"

# Lowest first. Each layer may use the layers listed after it (and itself); anything else is a use upward or across.
LAYERS = {
    "Platform": [],
    "Serialization": [],
    "Execution": [],
    "Diagnostics": [],
    "Insights": [],
    "Exceptions": ["Serialization"],
    "SharedMemory": ["Platform", "Serialization"],
    "Synchronization": ["SharedMemory", "Platform", "Serialization"],
    "Protocol": ["Exceptions", "Serialization"],
    "Transport": ["Protocol", "SharedMemory", "Platform", "Serialization"],
    "Brokering": ["Transport", "Protocol", "Execution", "Serialization", "Platform"],
    "FrontEnd": ["Protocol", "Execution", "Exceptions", "Diagnostics", "Serialization"],
    "Processes": ["Brokering", "Transport", "Protocol", "Execution", "Exceptions", "Diagnostics", "Insights", "Platform", "Serialization"],
    "Hosting": ["Brokering", "Transport", "Protocol", "Execution", "Exceptions", "Diagnostics", "Serialization", "Platform"],
    "Primitives": ["Brokering", "Processes", "FrontEnd", "Transport", "Protocol", "Execution", "Exceptions", "SharedMemory",
                   "Synchronization", "Serialization", "Platform", ROOT_LAYER],
    ROOT_LAYER: ["Processes", "FrontEnd", "Hosting", "Primitives", "Transport", "Protocol", "Execution", "Exceptions",
                 "Diagnostics", "Insights", "Serialization", "Platform"],
}

NAMESPACE = re.compile(r"^namespace ([\w.]+);", re.M)
# nameof(ProcessPool) in a message names a type without using it.
NAMEOF = re.compile(r"\bnameof\([\w.]+\)")
PUBLIC_TYPE = re.compile(r"^public\s+(?:(?:static|sealed|abstract|readonly|unsafe|partial|ref|record)\s+)*(?:class|struct|interface|enum|record|delegate)\s+(?:[\w<>\[\],. ]+\s+(?=\w+\s*\())?(\w+)", re.M)
COMMENTS_AND_STRINGS = re.compile(r'//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"""[\s\S]*?"""|\$?"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\])\'', re.S)


def layer_of(rel):
    parts = rel.split(os.sep)
    return parts[0] if len(parts) > 1 else ROOT_LAYER


def sources():
    for folder, dirs, files in os.walk(RUNTIME):
        dirs[:] = sorted(d for d in dirs if d not in ("bin", "obj", "build", "buildTransitive"))
        for name in sorted(files):
            if name.endswith(".cs"):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, RUNTIME), open(path, encoding="utf-8").read()


def uses():
    files = list(sources())
    # Public types in namespace ParallelGen, by the layer that declares them (the namespace doesn't tell where they sit).
    public_types = {}
    for rel, text in files:
        found = NAMESPACE.search(text)
        if found and found.group(1) == "ParallelGen":
            for match in PUBLIC_TYPE.finditer(text):
                public_types.setdefault(match.group(1), layer_of(rel))
    layers = set(LAYERS) - {ROOT_LAYER}
    qualified = re.compile(r"(?<![\w.])(?:ParallelGen\.)?(" + "|".join(sorted(layers)) + r")\.(?=[A-Z])")
    names = re.compile(r"(?<![\w.])(" + "|".join(sorted(public_types)) + r")\b")
    for rel, text in files:
        own = layer_of(rel)
        code = COMMENTS_AND_STRINGS.sub(" ", text)
        code = NAMESPACE.sub(" ", code)
        code = NAMEOF.sub(" ", code)
        seen = {}
        for match in re.finditer(r"^using (?:static )?ParallelGen\.(\w+)", code, re.M):
            seen.setdefault(match.group(1), f"using ParallelGen.{match.group(1)}")
        for match in qualified.finditer(code):
            seen.setdefault(match.group(1), match.group(0).rstrip("."))
        for match in names.finditer(code):
            seen.setdefault(public_types[match.group(1)], match.group(1))
        for layer, why in sorted(seen.items()):
            if layer != own and layer in LAYERS:
                yield rel, own, layer, why


def main():
    if "--graph" in sys.argv:
        graph = {}
        for _, own, layer, _ in uses():
            graph.setdefault(own, set()).add(layer)
        for own in LAYERS:
            print(f"{own}: {', '.join(sorted(graph.get(own, [])))}")
        return 0
    bad = [(rel, own, layer, why) for rel, own, layer, why in uses() if layer not in LAYERS[own]]
    for rel, own, layer, why in bad:
        print(f"{rel}: {own} uses {layer} ({why}), which it may not: see LAYERS in eng/check-layers.py and the layer order in docs/architecture.md")
    if bad:
        print(f"{len(bad)} use(s) of a layer that isn't below the user.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
