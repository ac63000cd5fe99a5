#!/usr/bin/env bash
# Checks the deployment files without Docker or a cluster (run by .ci/run, or by hand from
# anywhere in the repository):
#   1. hadolint lints deploy/Dockerfile;
#   2. every manifest in deploy/kubernetes validates against the Kubernetes schemas, unknown
#      fields refused (kubernetes-validate bundles the schemas: nothing is downloaded);
#   3. the build stage of deploy/Dockerfile copies everything the crate reads at compile time:
#      first by comparing its COPY lines with the paths the sources name, then by compiling
#      (cargo check, offline) a directory that holds only what those COPY lines copy;
#   4. compose.yaml and proxy/nginx.conf agree with each other, and `docker compose config`
#      and `nginx -t` accept them where those programs are installed.
# Every step is bounded in time. Step 3 reuses the dependencies checked in CARGO_TARGET_DIR (or
# the repository's target/): after `cargo clippy` there it checks only the crate and the few
# dependencies whose features differ without the dev-dependencies (about 2 minutes); on a cold
# target directory, every dependency (about 8 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The Kubernetes version the manifests must be valid for (one that kubernetes-validate bundles).
K8S_VERSION=1.33.0

step() { printf -- '-- %s\n' "$*"; }
fail() { printf 'deploy/check.sh: %s\n' "$*" >&2; exit 1; }

if ! command -v hadolint >/dev/null || ! command -v kubernetes-validate >/dev/null; then
  timeout 300 python3 -m pip install -q --disable-pip-version-check -r deploy/requirements.txt 2>&1 \
    | grep -v -i 'running pip as' || true
fi

step "hadolint deploy/Dockerfile"
timeout 60 hadolint deploy/Dockerfile
echo "no findings"

step "Kubernetes manifests (kubernetes-validate --strict, Kubernetes $K8S_VERSION)"
timeout 120 kubernetes-validate --strict --kubernetes-version "$K8S_VERSION" deploy/kubernetes/*.yaml

step "the build stage copies every compile-time input"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
# A fixed place, emptied each run: a fresh path each time would give the crate a new identity
# for cargo and leave one more set of its artifacts in the target directory per run.
context="$target_dir/deploy-check/context"
rm -rf "$context"
mkdir -p "$context"
timeout 120 python3 - "$context" <<'PY'
"""Copies what deploy/Dockerfile's build stage COPYs from the build context (the repository,
less what deploy/Dockerfile.dockerignore leaves out) into the directory given, as the build
stage's WORKDIR would hold it; then checks that every file the crate reads at compile time is
there."""
import fnmatch
import os
import re
import shlex
import shutil
import sys

context = sys.argv[1]
dockerfile = "deploy/Dockerfile"


def instructions(path):
    """(line number, instruction) pairs, with continuation lines joined and comments dropped."""
    out, parts, start = [], [], None
    with open(path) as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not parts and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if parts and line.lstrip().startswith("#"):
                continue
            if start is None:
                start = number
            if line.endswith("\\"):
                parts.append(line[:-1])
                continue
            parts.append(line)
            out.append((start, " ".join(p.strip() for p in parts)))
            parts, start = [], None
    return out


def ignore_rules():
    rules = []
    with open(dockerfile + ".dockerignore") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            pattern = os.path.normpath(line.lstrip("!").strip("/"))
            rules.append((negate, pattern))
    return rules


def ignored(rel, rules):
    """Docker's rule: the last pattern that matches the path or one of its parents decides.
    fnmatch's `*` also crosses `/`, which can only make this stricter than Docker."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for negate, pattern in rules:
        bare = pattern[3:] if pattern.startswith("**/") else None
        for p in prefixes:
            if fnmatch.fnmatchcase(p, pattern) or (bare and fnmatch.fnmatchcase(p.split("/")[-1], bare)):
                verdict = not negate
                break
    return verdict


# The build stage: from the first FROM to the next one.
stage, workdir = [], "/"
for number, text in instructions(dockerfile):
    keyword = text.split(None, 1)[0].upper()
    if keyword == "FROM":
        if stage:
            break
        stage.append((number, text))
        continue
    if stage:
        stage.append((number, text))

rules = ignore_rules()
copied = []
for number, text in stage:
    words = text.split(None, 1)
    keyword, rest = words[0].upper(), (words[1] if len(words) > 1 else "")
    if keyword == "WORKDIR":
        workdir = os.path.normpath(os.path.join(workdir, rest.strip()))
    if keyword not in ("COPY", "ADD"):
        continue
    if rest.lstrip().startswith("["):
        sys.exit(f"{dockerfile}:{number}: the JSON form of {keyword} is not understood here; use the plain form")
    args = shlex.split(rest)
    if any(a.startswith("--from") for a in args):
        continue
    args = [a for a in args if not a.startswith("--")]
    *sources, dest = args
    dest_abs = os.path.normpath(os.path.join(workdir, dest))
    into_dir = dest.endswith("/") or len(sources) > 1
    for source in sources:
        src = os.path.normpath(source)
        if not os.path.exists(src):
            sys.exit(f"{dockerfile}:{number}: {keyword} {source}: no such path in the build context")
        target = os.path.join(dest_abs, os.path.basename(src)) if into_dir and os.path.isfile(src) else dest_abs
        rel_target = os.path.relpath(target, workdir)
        if rel_target.startswith(".."):
            continue  # copied outside the WORKDIR the build runs in; not part of the crate
        out = os.path.join(context, rel_target)
        if os.path.isfile(src):
            if ignored(src, rules):
                sys.exit(f"{dockerfile}:{number}: {keyword} {source}: left out of the build context by {dockerfile}.dockerignore")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copy2(src, out)
            copied.append((src, rel_target))
            continue
        # A directory's contents are copied into the destination, as Docker does.
        for dirpath, _, files in os.walk(src):
            for name in files:
                file_src = os.path.join(dirpath, name)
                if ignored(os.path.normpath(file_src), rules):
                    continue
                file_rel = os.path.normpath(os.path.join(rel_target, os.path.relpath(file_src, src)))
                os.makedirs(os.path.join(context, os.path.dirname(file_rel)), exist_ok=True)
                shutil.copy2(file_src, os.path.join(context, file_rel))
                copied.append((os.path.normpath(file_src), file_rel))

# What the crate reads at compile time, each with where it is named.
needed = [("Cargo.toml", "cargo"), ("Cargo.lock", "cargo build --locked")]
if os.path.exists("build.rs"):
    needed.append(("build.rs", "cargo (the build script)"))
literal = r'\(\s*"([^"]+)"\s*\)'
include = re.compile(r"\b(include(?:_str|_bytes)?!)\s*" + literal)
migrations = re.compile(r"\bembed_migrations!\s*\(\s*(?:\"([^\"]*)\")?\s*\)")
rerun = re.compile(r"cargo:rerun-if-changed=([^\"\s)]+)")
rust_files = ["build.rs"] if os.path.exists("build.rs") else []
for dirpath, _, files in os.walk("src"):
    rust_files += [os.path.join(dirpath, f) for f in files if f.endswith(".rs")]
for path in sorted(rust_files):
    with open(path) as f:
        for number, line in enumerate(f, 1):
            code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
            where = f"{path}:{number}"
            for m in include.finditer(code):
                needed.append((os.path.normpath(os.path.join(os.path.dirname(path), m.group(2))), f"{m.group(1)} at {where}"))
            for m in migrations.finditer(code):
                needed.append((os.path.normpath(m.group(1) or "migrations"), f"embed_migrations! at {where}"))
            if path == "build.rs":
                for m in rerun.finditer(line):
                    needed.append((os.path.normpath(m.group(1)), f"rerun-if-changed at {where}"))

copied_paths = {rel for _, rel in copied}
missing = []
for path, where in needed:
    if not os.path.exists(path):
        missing.append(f"{path}, named by {where}, does not exist in the repository")
        continue
    present = path in copied_paths or any(rel.startswith(path + "/") for rel in copied_paths)
    if present:
        continue
    top = path.split("/")[0]
    if ignored(path, rules) or any(ignored(os.path.normpath(os.path.join(d, f)), rules)
                                   for d, _, fs in os.walk(path) for f in fs):
        missing.append(f"{path} (read at compile time: {where}) is left out of the build context by "
                       f"{dockerfile}.dockerignore: remove the pattern that matches it")
    else:
        missing.append(f"{path} (read at compile time: {where}) is not copied into the build stage: "
                       f"add `COPY {top} ./{top}` before `cargo build` in {dockerfile}")
if missing:
    print(f"{dockerfile} misses compile-time inputs:", file=sys.stderr)
    for m in missing:
        print(f"  {m}", file=sys.stderr)
    sys.exit(1)
tops = sorted({src.split("/")[0] for src, _ in copied})
print(f"{len(needed)} compile-time inputs named by the sources, all among the {len(copied)} files copied from: {', '.join(tops)}")
PY
# The strong form: the copied set alone compiles (offline, as the locked dependencies are in
# cargo's cache after the repository's own build).
(cd "$context" && CARGO_TARGET_DIR="$target_dir" timeout 900 cargo check --locked --offline --quiet --bin fairhire) \
  || fail "the files deploy/Dockerfile copies into its build stage do not compile on their own (see above); the build needs a path it does not copy"
echo "cargo check --bin fairhire passes on the copied files alone"

step "compose.yaml and proxy/nginx.conf"
timeout 60 python3 - <<'PY'
"""What the compose file and the proxy's configuration must agree on, which neither tool checks."""
import ipaddress
import json
import re
import sys

import yaml

compose = yaml.safe_load(open("deploy/compose.yaml"))
nginx = open("deploy/proxy/nginx.conf").read()
problems = []
subnets = [ipaddress.ip_network(c["subnet"]) for c in compose["networks"]["backend"]["ipam"]["config"]]
upstream = re.search(r"upstream fairhire \{(.*?)\}", nginx, re.S)
proxied = set(re.findall(r"^\s*server\s+([0-9.]+):8080\b", upstream.group(1), re.M)) if upstream else set()
instances = {name: s for name, s in compose["services"].items() if name.startswith("fairhire-")}
if len(instances) < 2:
    problems.append(f"two fairhire instances expected, found {sorted(instances)}")
for name, service in instances.items():
    env = service["environment"]
    address = service["networks"]["backend"]["ipv4_address"]
    if address not in proxied:
        problems.append(f"{name} ({address}) is not an upstream server in deploy/proxy/nginx.conf")
    trusted = [ipaddress.ip_network(c) for c in json.loads(env["FAIRHIRE_TRUSTED_PROXIES"])]
    if not any(t.subnet_of(s) or t == s for t in trusted for s in subnets):
        problems.append(f"{name}: FAIRHIRE_TRUSTED_PROXIES {env['FAIRHIRE_TRUSTED_PROXIES']} is not within the backend network {', '.join(map(str, subnets))}")
    if env.get("FAIRHIRE_MIGRATE_ON_START") != "false":
        problems.append(f"{name} migrates on start; only the migrate one-shot should")
    grace = int(str(service["stop_grace_period"]).rstrip("s"))
    if grace <= int(env["FAIRHIRE_SHUTDOWN_TIMEOUT_SECONDS"]):
        problems.append(f"{name}: stop_grace_period {grace}s does not exceed FAIRHIRE_SHUTDOWN_TIMEOUT_SECONDS")
if compose["services"]["migrate"]["command"] != ["migrate"]:
    problems.append("the migrate service does not run `fairhire migrate`")
if problems:
    sys.exit("deploy/compose.yaml:\n  " + "\n  ".join(problems))
print(f"{len(instances)} instances behind the proxy, trusting {subnets[0]}")
PY
if docker compose version >/dev/null 2>&1; then
  timeout 60 docker compose -f deploy/compose.yaml config -q
  echo "docker compose config: valid"
else
  echo "docker compose config: skipped (the docker compose plugin is not installed)"
fi
if command -v nginx >/dev/null; then
  nginx_prefix=$(mktemp -d)
  timeout 30 nginx -q -t -p "$nginx_prefix/" -c "$root/deploy/proxy/nginx.conf"
  rm -rf "$nginx_prefix"
  echo "nginx -t: valid"
else
  echo "nginx -t: skipped (nginx is not installed)"
fi

echo "deploy checks passed"
