#!/usr/bin/env python3
"""Side-by-side: the same least-privilege question answered by access-audit and by a Rego policy
evaluated with rego-cpp (the regopy package, installed into a temporary virtual environment).

The question: which table- and column-level grants (not an owner's own, to a declared role or
PUBLIC) does the policy's allow-list not permit? access-audit answers it as its
`over-broad-grant` findings on tables. The script times both on the same synthetic snapshot,
checks that both find the same violations, and prints the ratio.

Usage: scripts/compare-rego.py [SIZE ...]   (default: S M; a peer run is stopped after 10 minutes)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGO = r'''
package audit

import rego.v1

declared contains role if some role in input.declared
declared contains "PUBLIC"

violations contains v if {
    some g in input.grants
    g.grantee in declared
    g.grantee != g.owner
    not allowed(g)
    v := [g.grantee, g.object, g.column, g.privilege]
}

allowed(g) if {
    some a in input.allow
    a.role == g.grantee
    g.privilege in a.privileges
    glob.match(a.pattern, [], g.object)
    column_ok(a, g)
}

column_ok(a, g) if {
    a.columns == null
    g.column == null
}

column_ok(a, g) if {
    a.columns == null
    g.column != null
}

column_ok(a, g) if {
    a.columns != null
    g.column != null
    g.column in a.columns
}
'''


def venv_python(folder):
    subprocess.run([sys.executable, "-m", "venv", folder], check=True)
    python = os.path.join(folder, "bin", "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "regopy", "pyyaml"], check=True)
    return python


PEER = r'''
import json, sys, time, yaml
from regopy import Interpreter
snapshot = json.load(open(sys.argv[1]))
allow, declared = [], []
import glob, os
for path in sorted(glob.glob(os.path.join(sys.argv[2], "*.yaml"))):
    doc = yaml.safe_load(open(path))
    for name, role in (doc.get("roles") or {}).items():
        declared.append(name)
        for grant in role.get("grants") or []:
            if "table" in grant:
                patterns = grant["table"] if isinstance(grant["table"], list) else [grant["table"]]
                privileges = grant["privileges"] if isinstance(grant["privileges"], list) else [grant["privileges"]]
                for pattern in patterns:
                    allow.append({"role": name, "pattern": pattern, "columns": grant.get("columns"), "privileges": privileges})
grants = []
for t in snapshot["tables"]:
    name = t["schema"] + "." + t["name"]
    for a in t["acl"]:
        grants.append({"grantee": a["grantee"], "object": name, "column": None, "privilege": a["privilege"], "owner": t["owner"]})
    for c in t["columns"]:
        for a in c.get("acl") or []:
            grants.append({"grantee": a["grantee"], "object": name, "column": c["name"], "privilege": a["privilege"], "owner": t["owner"]})
rego = Interpreter()
rego.add_module("audit", open(sys.argv[3]).read())
start = time.time()
rego.set_input_term(json.dumps({"grants": grants, "allow": allow, "declared": declared}))
raw = str(rego.query("data.audit.violations"))
elapsed = time.time() - start
try:
    out = json.loads(raw)
except ValueError:
    print(json.dumps({"error": raw[:500], "seconds": elapsed, "grants": len(grants)}))
    sys.exit(0)
print(json.dumps({"seconds": elapsed, "violations": out["expressions"][0], "grants": len(grants)}))
'''


def main():
    sizes = [s.upper() for s in sys.argv[1:]] or ["S", "M"]
    for product in ["access-audit", "access-audit-bench"]:
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="access-audit-rego-")
    python = venv_python(os.path.join(work, "venv"))
    with open(os.path.join(work, "audit.rego"), "w") as f:
        f.write(REGO)
    with open(os.path.join(work, "peer.py"), "w") as f:
        f.write(PEER)
    print("size | grants | access-audit s | rego-cpp s | ratio | same violations")
    for size in sizes:
        folder = os.path.join(work, size)
        subprocess.run([os.path.join(bin_path, "access-audit-bench"), "--sizes", size, "--write", folder], check=True, stdout=subprocess.DEVNULL)
        snapshot = os.path.join(folder, "snapshot.json")
        policies = os.path.join(folder, "policies")
        start = time.time()
        result = subprocess.run([os.path.join(bin_path, "access-audit"), "check", "--format", "json", "--fail-on", "critical", "--as-of", "2026-11-22",
                                 "--policies", policies, "--snapshot", snapshot], capture_output=True, text=True)
        ours_seconds = time.time() - start
        if result.returncode == 2:
            sys.exit("access-audit could not read its input: " + result.stderr)
        findings = json.loads(result.stdout)["findings"]
        ours = {(f["principal"], f["object"], f["column"], f["privilege"]) for f in findings
                if f["rule"] == "over-broad-grant" and f["object_kind"] == "table"}
        try:
            peer = subprocess.run([python, os.path.join(work, "peer.py"), snapshot, policies, os.path.join(work, "audit.rego")],
                                  capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            print(f"{size} | - | {ours_seconds:.2f} | > 600 (stopped) | > {600 / ours_seconds:.0f}x | -")
            continue
        if peer.returncode != 0:
            sys.exit("rego-cpp failed: " + peer.stderr[-2000:])
        answer = json.loads(peer.stdout)
        if "error" in answer:
            print(f"{size} | {answer['grants']} | {ours_seconds:.2f} | failed after {answer['seconds']:.0f} s: {answer['error'][:200]!r} | - | -")
            continue
        theirs = {tuple(v) for v in answer["violations"]}
        same = ours == theirs
        print(f"{size} | {answer['grants']} | {ours_seconds:.2f} | {answer['seconds']:.2f} | {answer['seconds'] / ours_seconds:.0f}x | {'yes' if same else 'NO'} ({len(ours)} vs {len(theirs)})")
        if not same:
            print("  only access-audit:", sorted(ours - theirs)[:5])
            print("  only rego-cpp:", sorted(theirs - ours)[:5])


if __name__ == "__main__":
    main()
