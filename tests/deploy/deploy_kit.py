#!/usr/bin/python3
"""Checks of the deploy kit (deploy/) that need no running service; helpers for the shell test.

Run with Debian's /usr/bin/python3 and python3-yaml (and python3-grpcio for `health`):

    deploy_kit.py flags SOURCE_DIR                  lint every example flag file
    deploy_kit.py uncomment IN OUT                  IN with its '#--flag' lines made active
    deploy_kit.py rewrite IN OUT NAME=VALUE...      IN with those flags' values replaced
    deploy_kit.py flag FILE NAME                    print the value of --NAME in FILE
    deploy_kit.py systemd SOURCE_DIR                static checks of deploy/systemd/
    deploy_kit.py kubernetes SOURCE_DIR [RENDERED]  the manifests (RENDERED: `kubectl kustomize`)
    deploy_kit.py configmap-flags SOURCE_DIR OUT    write the ConfigMap's flag files into OUT/
    deploy_kit.py containerfile SOURCE_DIR BIN...   deploy/Containerfile against the binaries
    deploy_kit.py free-port                         an unused loopback TCP port
    deploy_kit.py wait-listen LOG SECONDS PID [SKIP_PORT...]
                                                    the port of LOG's "listening on HOST:PORT"
    deploy_kit.py health ADDR SERVICE SECONDS [CA SERVER_NAME]
                                                    wait until gRPC health says SERVING
    deploy_kit.py http-get URL SECONDS              wait for 200 with a body
    deploy_kit.py json-log LOG                      LOG has a JSON log line

Every failure prints what is wrong and where, and exits 1.
"""

import fnmatch
import glob
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time


class Failure(Exception):
    pass


def fail(message):
    raise Failure(message)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---- flag files ------------------------------------------------------------------------------

FLAG_LINE = re.compile(r"^--([a-z][a-z0-9_]*)(=(.*))?$")
# Abseil's flagfile reader (absl/flags/parse.cc, ArgsList::ReadFromFlagfile) strips leading blanks
# only and takes a line starting with '#' as a comment. Anything else is one argument as-is: a
# trailing blank or a "# comment" after a value would become part of the value.


def parse_flagfile(path):
    """Returns [(line_number, name, value or None)]; fails on lines Abseil would mangle."""
    flags = []
    for number, line in enumerate(read(path).split("\n"), 1):
        where = f"{path}:{number}"
        if line != line.rstrip():
            fail(f"{where}: trailing blanks (Abseil keeps them in the value): {line!r}")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line != stripped:
            fail(f"{where}: indented flag line; write it at the start of the line")
        match = FLAG_LINE.match(line)
        if not match:
            fail(f"{where}: not a --name=value line nor a comment: {line!r}")
        value = match.group(3)
        if value is not None and re.search(r"\s#", value):
            fail(f"{where}: a comment after the value is not a comment for Abseil: {line!r}")
        if value is not None and (value.startswith(("'", '"')) or value.endswith(("'", '"'))):
            fail(f"{where}: quotes are kept as part of the value: {line!r}")
        flags.append((number, match.group(1), value))
    seen = {}
    for number, name, _ in flags:
        if name in seen:
            fail(f"{path}:{number}: --{name} repeats line {seen[name]}")
        seen[name] = number
    return flags


def flag_map(path):
    return {name: value for _, name, value in parse_flagfile(path)}


def commented_flags(path):
    """The '#--name=value' lines: optional flags shown commented out."""
    out = []
    for line in read(path).split("\n"):
        stripped = line.strip()
        if stripped.startswith("#--"):
            out.append(stripped[1:])
    return out


def host_port(value, where):
    match = re.match(r"^(.*):(\d+)$", value or "")
    if not match:
        fail(f"{where}: expected HOST:PORT, got {value!r}")
    return match.group(1), int(match.group(2))


def expect(flags, name, wanted, where):
    got = flags.get(name, "<absent>")
    if got != wanted:
        fail(f"{where}: --{name} should be {wanted!r}, is {got!r}")


def expect_set(flags, name, where):
    if name not in flags:
        fail(f"{where}: --{name} is missing")
    if flags[name] not in (None, "true"):
        fail(f"{where}: --{name} should be set (as a bare --{name}), is {flags[name]!r}")


def expect_unset(flags, name, where):
    if name in flags:
        fail(f"{where}: --{name} must not be set here")


SERVICE_PORTS = {"checklist": (50051, 9851), "notifier": (50052, 9852)}


def check_flags(source_dir):
    deploy = os.path.join(source_dir, "deploy")
    files = {
        ("loopback", "checklist"): f"{deploy}/flags/loopback/checklist.flags",
        ("loopback", "notifier"): f"{deploy}/flags/loopback/notifier.flags",
        ("tls", "checklist"): f"{deploy}/flags/tls/checklist.flags",
        ("tls", "notifier"): f"{deploy}/flags/tls/notifier.flags",
        ("kubernetes", "checklist"): f"{deploy}/kubernetes/flags/checklist.flags",
        ("kubernetes", "notifier"): f"{deploy}/kubernetes/flags/notifier.flags",
    }
    found = set(glob.glob(f"{deploy}/flags/**/*.flags", recursive=True))
    found |= set(glob.glob(f"{deploy}/kubernetes/**/*.flags", recursive=True))
    unexpected = found - set(files.values())
    if unexpected:
        fail(f"flag files this test does not know (add them to deploy_kit.py): {sorted(unexpected)}")
    for (variant, service), path in files.items():
        if not os.path.isfile(path):
            fail(f"{path}: missing")
        flags = flag_map(path)
        for line in commented_flags(path):
            if not FLAG_LINE.match(line):
                fail(f"{path}: commented-out flag is not a --name=value line: {line!r}")
        grpc_port, metrics_port = SERVICE_PORTS[service]
        expect(flags, "data_dir", f"/var/lib/preflight/{service}", path)
        expect_unset(flags, "builtin_data_dir", path)
        host, port = host_port(flags.get("listen"), f"{path}: --listen")
        if port != grpc_port:
            fail(f"{path}: --listen port should be {grpc_port}, is {port}")
        mhost, mport = host_port(flags.get("metrics_listen"), f"{path}: --metrics_listen")
        if mport != metrics_port:
            fail(f"{path}: --metrics_listen port should be {metrics_port}, is {mport}")
        if flags.get("log_format") not in ("text", "json"):
            fail(f"{path}: --log_format should be text or json, is {flags.get('log_format')!r}")
        if flags.get("log_level") not in ("debug", "info", "warning", "error"):
            fail(f"{path}: --log_level should be one of debug, info, warning, error")
        if service == "notifier":
            if "checklist_addr" not in flags:
                fail(f"{path}: --checklist_addr is missing")
            if "stream_unhealthy_after" not in flags:
                fail(f"{path}: --stream_unhealthy_after is missing")
        if variant == "loopback":
            if host != "127.0.0.1" or mhost != "127.0.0.1":
                fail(f"{path}: the loopback variant must listen on 127.0.0.1 only")
            for name in ("tls_cert", "tls_key", "require_auth", "insecure", "checklist_tls_ca"):
                expect_unset(flags, name, path)
        elif variant == "tls":
            if host in ("127.0.0.1", "localhost", "::1", "[::1]"):
                fail(f"{path}: the TLS variant should listen beyond loopback")
            if mhost != "127.0.0.1":
                fail(f"{path}: keep metrics (plain HTTP) on loopback in the TLS variant")
            expect(flags, "tls_cert", "/etc/preflight/tls/server.pem", path)
            expect(flags, "tls_key", "/etc/preflight/tls/server.key", path)
            expect_set(flags, "require_auth", path)
            expect_unset(flags, "insecure", path)
            if service == "notifier":
                expect(flags, "checklist_token_ref", "file:/etc/preflight/notifier.token", path)
                expect(flags, "checklist_tls_ca", "/etc/preflight/tls/ca.pem", path)
        else:  # kubernetes: plaintext for the kubelet's gRPC probes, tokens still required
            if host != "0.0.0.0" or mhost != "0.0.0.0":
                fail(f"{path}: in Kubernetes listen on 0.0.0.0 (probes and scrapes come from outside the pod)")
            expect_set(flags, "insecure", path)
            expect_set(flags, "require_auth", path)
            if service == "notifier":
                expect(flags, "checklist_addr", "127.0.0.1:50051", path)
    print(f"flags: {len(files)} flag files lint clean")


def uncomment(src, dst):
    lines = []
    for line in read(src).split("\n"):
        stripped = line.strip()
        lines.append(stripped[1:] if stripped.startswith("#--") else line)
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def rewrite(src, dst, assignments):
    """Replaces the values of existing flags; a NAME=VALUE whose flag is absent is an error, so a
    renamed flag in the examples cannot silently escape the test."""
    wanted = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        wanted[name] = value
    present = flag_map(src)
    missing = [name for name in wanted if name not in present]
    if missing:
        fail(f"{src}: the test overrides --{', --'.join(missing)}, which the file does not set")
    out = []
    for line in read(src).split("\n"):
        match = FLAG_LINE.match(line)
        if match and match.group(1) in wanted:
            line = f"--{match.group(1)}={wanted[match.group(1)]}"
        out.append(line)
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def print_flag(path, name):
    flags = flag_map(path)
    if name not in flags:
        fail(f"{path}: --{name} is not set")
    print(flags[name] if flags[name] is not None else "true")


# ---- systemd ---------------------------------------------------------------------------------


def parse_unit(path):
    """{section: [(key, value)]}, keeping repeated keys in order."""
    sections = {}
    current = None
    for number, line in enumerate(read(path).split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = sections.setdefault(stripped[1:-1], [])
            continue
        if current is None or "=" not in stripped:
            fail(f"{path}:{number}: not a key=value line inside a section: {line!r}")
        if stripped.endswith("\\"):
            fail(f"{path}:{number}: continuation lines are not used in these units")
        key, _, value = stripped.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def unit_values(sections, section, key):
    return [value for k, value in sections.get(section, []) if k == key]


def unit_value(sections, section, key, path):
    values = unit_values(sections, section, key)
    if not values:
        fail(f"{path}: [{section}] {key}= is missing")
    return values[-1]


def seconds(value, where):
    match = re.fullmatch(r"(\d+)\s*(s|sec|min)?", value)
    if not match:
        fail(f"{where}: cannot read the duration {value!r}")
    return int(match.group(1)) * (60 if match.group(2) == "min" else 1)


HARDENING = {
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "NoNewPrivileges": "yes",
    "CapabilityBoundingSet": "",
    "AmbientCapabilities": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "MemoryDenyWriteExecute": "yes",
    "LockPersonality": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "ProtectClock": "yes",
    "ProtectHostname": "yes",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "SystemCallArchitectures": "native",
}


def check_systemd(source_dir):
    systemd_dir = os.path.join(source_dir, "deploy", "systemd")
    sysusers = parse_sysusers(os.path.join(systemd_dir, "preflight.sysusers.conf"))
    for service in ("checklist", "notifier"):
        path = os.path.join(systemd_dir, f"preflight-{service}.service")
        unit = parse_unit(path)
        for section in ("Unit", "Service", "Install"):
            if section not in unit:
                fail(f"{path}: no [{section}] section")
        exec_start = unit_value(unit, "Service", "ExecStart", path)
        wanted = f"/usr/local/bin/{service}-service --flagfile=/etc/preflight/{service}.flags"
        if exec_start != wanted:
            fail(f"{path}: ExecStart should be {wanted!r}, is {exec_start!r}")
        state = unit_value(unit, "Service", "StateDirectory", path)
        if state != f"preflight/{service}":
            fail(f"{path}: StateDirectory should be preflight/{service}, is {state!r}")
        # The example flag files' --data_dir must be the unit's state directory.
        for variant in ("loopback", "tls"):
            flags = flag_map(os.path.join(source_dir, "deploy", "flags", variant, f"{service}.flags"))
            if flags.get("data_dir") != f"/var/lib/{state}":
                fail(f"deploy/flags/{variant}/{service}.flags: --data_dir is not /var/lib/{state}, "
                     f"the unit's StateDirectory (ProtectSystem=strict makes anything else read-only)")
        if unit_value(unit, "Service", "Restart", path) != "on-failure":
            fail(f"{path}: Restart should be on-failure")
        stop = seconds(unit_value(unit, "Service", "TimeoutStopSec", path), f"{path}: TimeoutStopSec")
        if not 6 <= stop <= 90:
            fail(f"{path}: TimeoutStopSec={stop}s: the services stop within ~5 s; keep it 6-90 s")
        for key, wanted_value in HARDENING.items():
            got = unit_values(unit, "Service", key)
            if not got or got[-1] != wanted_value:
                fail(f"{path}: {key}={wanted_value} is required (found {got or 'nothing'})")
        filters = unit_values(unit, "Service", "SystemCallFilter")
        if "@system-service" not in filters:
            fail(f"{path}: SystemCallFilter=@system-service is required")
        dynamic = unit_values(unit, "Service", "DynamicUser")
        if dynamic != ["yes"]:
            user = unit_value(unit, "Service", "User", path)
            groups = [unit_value(unit, "Service", "Group", path)]
            groups += " ".join(unit_values(unit, "Service", "SupplementaryGroups")).split()
            if user in ("root", "0"):
                fail(f"{path}: runs as root")
            if user not in sysusers["users"]:
                fail(f"{path}: User={user} is not created by preflight.sysusers.conf")
            for group in groups:
                if group not in sysusers["groups"]:
                    fail(f"{path}: group {group} is not created by preflight.sysusers.conf")
        if "WantedBy" not in dict(unit["Install"]):
            fail(f"{path}: [Install] WantedBy= is missing")
        if service == "notifier":
            for key in ("After", "Wants"):
                units = " ".join(unit_values(unit, "Unit", key)).split()
                if "preflight-checklist.service" not in units:
                    fail(f"{path}: {key}= should name preflight-checklist.service")
            if unit_values(unit, "Unit", "Requires") or unit_values(unit, "Unit", "BindsTo"):
                fail(f"{path}: the notifier reconnects by itself; Wants=, not Requires=/BindsTo=")
    print("systemd: both units and preflight.sysusers.conf are consistent with the flag files")


def parse_sysusers(path):
    users, groups = set(), set()
    for number, line in enumerate(read(path).split("\n"), 1):
        fields = shlex.split(line, comments=True)
        if not fields:
            continue
        kind, name = fields[0], fields[1]
        if kind == "u":
            users.add(name)
            groups.add(name)
        elif kind == "g":
            groups.add(name)
        elif kind == "m":
            if name not in users or fields[2] not in groups:
                fail(f"{path}:{number}: m {name} {fields[2]}: declare the user and group first")
        else:
            fail(f"{path}:{number}: unexpected sysusers line type {kind!r}")
    return {"users": users, "groups": groups}


# ---- Kubernetes ------------------------------------------------------------------------------

# Field names this kit uses, per object type: a misspelt field (readinessprobe, mountpath) is
# silently dropped by some tools and refused by the API server; here it fails the test.
KNOWN_FIELDS = {
    "statefulset.spec": {"replicas", "serviceName", "podManagementPolicy", "updateStrategy",
                         "selector", "template", "volumeClaimTemplates", "minReadySeconds",
                         "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy"},
    "pod.spec": {"terminationGracePeriodSeconds", "automountServiceAccountToken",
                 "enableServiceLinks", "securityContext", "containers", "initContainers",
                 "volumes", "serviceAccountName", "nodeSelector", "affinity", "tolerations",
                 "priorityClassName", "shareProcessNamespace", "hostNetwork", "hostPID",
                 "hostIPC", "topologySpreadConstraints", "imagePullSecrets"},
    "pod.securityContext": {"runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup",
                            "fsGroupChangePolicy", "seccompProfile", "supplementalGroups",
                            "sysctls", "seLinuxOptions"},
    "container": {"name", "image", "imagePullPolicy", "command", "args", "ports", "env",
                  "envFrom", "startupProbe", "readinessProbe", "livenessProbe", "resources",
                  "securityContext", "volumeMounts", "lifecycle", "workingDir",
                  "terminationMessagePolicy", "terminationMessagePath"},
    "container.securityContext": {"allowPrivilegeEscalation", "readOnlyRootFilesystem",
                                  "runAsNonRoot", "runAsUser", "runAsGroup", "privileged",
                                  "capabilities", "seccompProfile", "procMount",
                                  "seLinuxOptions"},
    "probe": {"grpc", "httpGet", "tcpSocket", "exec", "initialDelaySeconds", "periodSeconds",
              "timeoutSeconds", "failureThreshold", "successThreshold",
              "terminationGracePeriodSeconds"},
    "probe.grpc": {"port", "service"},
    "containerPort": {"name", "containerPort", "protocol", "hostPort", "hostIP"},
    "volumeMount": {"name", "mountPath", "readOnly", "subPath", "mountPropagation"},
    "service.spec": {"type", "selector", "ports", "clusterIP", "publishNotReadyAddresses",
                     "sessionAffinity", "internalTrafficPolicy"},
    "service.port": {"name", "port", "targetPort", "protocol", "appProtocol", "nodePort"},
    "pvc.spec": {"accessModes", "resources", "storageClassName", "volumeMode"},
}

PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def known_fields(obj, kind, where):
    if not isinstance(obj, dict):
        fail(f"{where}: expected a mapping")
    unknown = set(obj) - KNOWN_FIELDS[kind]
    if unknown:
        fail(f"{where}: unknown field(s) {sorted(unknown)}")


def load_yaml_documents(path):
    import yaml  # python3-yaml

    try:
        with open(path, encoding="utf-8") as f:
            return [doc for doc in yaml.safe_load_all(f) if doc is not None]
    except yaml.YAMLError as error:
        fail(f"{path}: not valid YAML: {error}")


def own_render(kube_dir):
    """What `kubectl kustomize` makes of kustomization.yaml, for the parts this kit uses."""
    kustomization = load_yaml_documents(os.path.join(kube_dir, "kustomization.yaml"))[0]
    allowed = {"apiVersion", "kind", "resources", "configMapGenerator", "images"}
    if set(kustomization) - allowed:
        fail(f"kustomization.yaml: fields this check does not model: {sorted(set(kustomization) - allowed)}")
    manifests = sorted(os.path.basename(p) for p in glob.glob(os.path.join(kube_dir, "*.yaml")))
    manifests.remove("kustomization.yaml")
    resources = kustomization.get("resources", [])
    if sorted(resources) != manifests:
        fail(f"kustomization.yaml: resources {sorted(resources)} should list every manifest {manifests}")
    docs = []
    for name in resources:
        for doc in load_yaml_documents(os.path.join(kube_dir, name)):
            doc["__file"] = name
            docs.append(doc)
    generated = {}
    for generator in kustomization.get("configMapGenerator", []):
        data = {}
        for file_name in generator.get("files", []):
            path = os.path.join(kube_dir, file_name)
            if not os.path.isfile(path):
                fail(f"kustomization.yaml: configMapGenerator {generator['name']}: no file {file_name}")
            data[os.path.basename(file_name)] = read(path)
        generated[generator["name"]] = data
        docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]},
                     "data": data, "__file": "kustomization.yaml"})
    images = {image["name"]: image for image in kustomization.get("images", [])}
    return docs, generated, images


def base_name(name, generated):
    """A generated ConfigMap's name without kustomize's hash suffix."""
    for base in generated:
        if re.fullmatch(re.escape(base) + r"(-[a-z0-9]{10})?", name):
            return base
    return name


def check_kubernetes(source_dir, rendered_path=None):
    kube_dir = os.path.join(source_dir, "deploy", "kubernetes")
    docs, generated, images = own_render(kube_dir)
    for doc in docs:
        where = f"{doc['__file']}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        for key in ("apiVersion", "kind", "metadata"):
            if key not in doc:
                fail(f"{where}: no {key}")
        if "namespace" in doc["metadata"]:
            fail(f"{where}: sets metadata.namespace; leave it to `kubectl -n`")
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)
    expected_api = {"StatefulSet": "apps/v1", "Service": "v1", "ConfigMap": "v1",
                    "NetworkPolicy": "networking.k8s.io/v1"}
    for kind, items in by_kind.items():
        if kind not in expected_api:
            fail(f"unexpected kind {kind} in {[d['__file'] for d in items]}")
        for doc in items:
            if doc["apiVersion"] != expected_api[kind]:
                fail(f"{doc['__file']}: {kind} should be {expected_api[kind]}, is {doc['apiVersion']}")
    if len(by_kind.get("StatefulSet", [])) != 1:
        fail("expected exactly one StatefulSet")
    sts = by_kind["StatefulSet"][0]
    where = f"{sts['__file']}: StatefulSet/{sts['metadata']['name']}"
    spec = sts["spec"]
    known_fields(spec, "statefulset.spec", f"{where}: spec")
    if spec.get("replicas") != 1:
        fail(f"{where}: replicas must be 1 (each service owns and locks its SQLite data)")
    template = spec["template"]
    pod_labels = template["metadata"]["labels"]
    selector = spec["selector"]["matchLabels"]
    if any(pod_labels.get(k) != v for k, v in selector.items()):
        fail(f"{where}: selector {selector} does not match the pod labels {pod_labels}")
    if template["metadata"].get("annotations", {}).get("prometheus.io/scrape") == "true":
        fail(f"{where}: the pod is scraped through its metrics Services; a prometheus.io "
             f"annotation on the pod would scrape it twice")
    pod = template["spec"]
    known_fields(pod, "pod.spec", f"{where}: pod spec")
    grace = pod.get("terminationGracePeriodSeconds")
    if not isinstance(grace, int) or not 10 <= grace <= 120:
        fail(f"{where}: terminationGracePeriodSeconds should be 10-120 (services stop in ~5 s), is {grace}")
    pod_security = pod.get("securityContext", {})
    known_fields(pod_security, "pod.securityContext", f"{where}: pod securityContext")
    if pod_security.get("runAsNonRoot") is not True:
        fail(f"{where}: pod securityContext.runAsNonRoot must be true")
    if pod_security.get("runAsUser") in (None, 0):
        fail(f"{where}: pod securityContext.runAsUser must be a non-root id")
    if pod_security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(f"{where}: pod seccompProfile must be RuntimeDefault")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    claims = {c["metadata"]["name"]: c for c in spec.get("volumeClaimTemplates", [])}
    for name, claim in claims.items():
        known_fields(claim["spec"], "pvc.spec", f"{where}: volumeClaimTemplates {name}")
        if claim["spec"].get("accessModes") != ["ReadWriteOnce"]:
            fail(f"{where}: claim {name} should be ReadWriteOnce")
        if "storage" not in claim["spec"].get("resources", {}).get("requests", {}):
            fail(f"{where}: claim {name} requests no storage")
    if set(volumes) & set(claims):
        fail(f"{where}: volumes and claims share names {sorted(set(volumes) & set(claims))}")
    containers = {c["name"]: c for c in pod["containers"]}
    if set(containers) != {"checklist", "notifier"}:
        fail(f"{where}: containers should be checklist and notifier, are {sorted(containers)}")
    images_used = {c["image"] for c in containers.values()}
    if len(images_used) != 1:
        fail(f"{where}: both containers run the same image; found {sorted(images_used)}")
    if images and images_used - set(images):
        fail(f"kustomization.yaml: images does not name the image {sorted(images_used)}")
    port_names = {}
    claim_users = {}
    health_names = {"checklist": "preflight.v1.ChecklistService",
                    "notifier": "preflight.v1.NotifierService"}
    for name, container in containers.items():
        cwhere = f"{where}: container {name}"
        known_fields(container, "container", cwhere)
        command = container.get("command", [])
        if command[:1] != [f"/usr/local/bin/{name}-service"]:
            fail(f"{cwhere}: command should start with /usr/local/bin/{name}-service, is {command}")
        flagfile = f"--flagfile=/etc/preflight/{name}.flags"
        if flagfile not in command + container.get("args", []):
            fail(f"{cwhere}: should run with {flagfile}")
        # The flag file it reads, from the ConfigMap volume mounted at /etc/preflight.
        mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
        for mount in container.get("volumeMounts", []):
            known_fields(mount, "volumeMount", f"{cwhere}: volumeMount {mount.get('name')}")
            if mount["name"] not in volumes and mount["name"] not in claims:
                fail(f"{cwhere}: mounts {mount['name']}, which is neither a volume nor a claim")
            if mount["name"] in claims:
                claim_users.setdefault(mount["name"], []).append((name, mount["mountPath"]))
        if "/etc/preflight" not in mounts:
            fail(f"{cwhere}: nothing is mounted at /etc/preflight (its flag file)")
        config_volume = volumes.get(mounts["/etc/preflight"]["name"], {})
        config_name = config_volume.get("configMap", {}).get("name")
        if config_name not in generated or f"{name}.flags" not in generated[config_name]:
            fail(f"{cwhere}: /etc/preflight is not a ConfigMap holding {name}.flags")
        flags_path = os.path.join(kube_dir, "flags", f"{name}.flags")
        flags = flag_map(flags_path)
        if "/tmp" not in mounts or "emptyDir" not in volumes.get(mounts["/tmp"]["name"], {}):
            fail(f"{cwhere}: needs an emptyDir at /tmp (read-only root, SQLite temporary files)")
        data_dir = flags["data_dir"]
        data_mount = mounts.get(data_dir)
        if data_mount is None or data_mount["name"] not in claims:
            fail(f"{cwhere}: its --data_dir={data_dir} is not a persistent volume claim mount")
        if data_mount.get("readOnly"):
            fail(f"{cwhere}: its data volume is mounted read-only")
        token_ref = flags.get("checklist_token_ref", "")
        if token_ref.startswith("file:"):
            token_dir = os.path.dirname(token_ref[len("file:"):])
            secret_mount = mounts.get(token_dir)
            if secret_mount is None or "secret" not in volumes.get(secret_mount["name"], {}):
                fail(f"{cwhere}: --checklist_token_ref={token_ref} is not in a mounted Secret")
        # Ports: named, unique in the pod, the ones the flags listen on.
        _, grpc_port = host_port(flags["listen"], flags_path)
        _, metrics_port = host_port(flags["metrics_listen"], flags_path)
        ports = {}
        for port in container.get("ports", []):
            known_fields(port, "containerPort", f"{cwhere}: port")
            pname = port.get("name", "")
            if not PORT_NAME.match(pname) or len(pname) > 15:
                fail(f"{cwhere}: port name {pname!r} must be 1-15 lowercase letters, digits and '-'")
            if pname in port_names:
                fail(f"{cwhere}: port name {pname} is also used by {port_names[pname][0]}")
            port_names[pname] = (name, port["containerPort"])
            ports[port["containerPort"]] = pname
        if set(ports) != {grpc_port, metrics_port}:
            fail(f"{cwhere}: container ports {sorted(ports)} should be its --listen and "
                 f"--metrics_listen ports {grpc_port} and {metrics_port}")
        for probe_kind in ("readinessProbe", "livenessProbe", "startupProbe"):
            probe = container.get(probe_kind)
            if probe is None:
                if probe_kind == "startupProbe":
                    continue
                fail(f"{cwhere}: no {probe_kind}")
            known_fields(probe, "probe", f"{cwhere}: {probe_kind}")
            grpc = probe.get("grpc")
            if grpc is None or set(probe) & {"httpGet", "tcpSocket", "exec"}:
                fail(f"{cwhere}: {probe_kind} should be a native gRPC probe")
            known_fields(grpc, "probe.grpc", f"{cwhere}: {probe_kind}.grpc")
            if grpc.get("port") != grpc_port or grpc.get("service") != health_names[name]:
                fail(f"{cwhere}: {probe_kind} should ask port {grpc_port} for "
                     f"{health_names[name]}, asks {grpc}")
        security = container.get("securityContext", {})
        known_fields(security, "container.securityContext", f"{cwhere}: securityContext")
        if security.get("allowPrivilegeEscalation") is not False:
            fail(f"{cwhere}: allowPrivilegeEscalation must be false")
        if security.get("readOnlyRootFilesystem") is not True:
            fail(f"{cwhere}: readOnlyRootFilesystem must be true")
        if security.get("privileged"):
            fail(f"{cwhere}: must not be privileged")
        caps = security.get("capabilities", {})
        if caps.get("drop") != ["ALL"] or caps.get("add"):
            fail(f"{cwhere}: capabilities must drop ALL and add none")
        if security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is not True:
            fail(f"{cwhere}: runAsNonRoot must be true")
        if security.get("runAsUser", pod_security.get("runAsUser")) in (None, 0):
            fail(f"{cwhere}: must not run as root")
        resources = container.get("resources", {})
        for section in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in resources.get(section, {}):
                    fail(f"{cwhere}: resources.{section}.{resource} is missing")
    for claim in claims:
        users = claim_users.get(claim, [])
        if len(users) != 1:
            fail(f"{where}: claim {claim} should be mounted by exactly one container, is by {users}")
    data_paths = [path for users in claim_users.values() for _, path in users]
    if len(set(data_paths)) != len(data_paths):
        fail(f"{where}: the two services share a data folder {data_paths}")
    # Services select the pod and point at its named ports.
    services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
    governing = services.get(spec.get("serviceName"))
    if governing is None or governing["spec"].get("clusterIP") != "None":
        fail(f"{where}: serviceName {spec.get('serviceName')} should be a headless Service of this kit")
    scraped = set()
    for sname, service in services.items():
        swhere = f"{service['__file']}: Service/{sname}"
        known_fields(service["spec"], "service.spec", f"{swhere}: spec")
        sel = service["spec"].get("selector", {})
        if not sel or any(pod_labels.get(k) != v for k, v in sel.items()):
            fail(f"{swhere}: selector {sel} does not select the pod {pod_labels}")
        exposed = {}
        for port in service["spec"]["ports"]:
            known_fields(port, "service.port", f"{swhere}: port")
            target = port.get("targetPort", port["port"])
            if isinstance(target, str):
                if target not in port_names:
                    fail(f"{swhere}: targetPort {target} is no container port name")
                target = port_names[target][1]
            exposed[target] = port["port"]
        annotations = service["metadata"].get("annotations", {})
        if annotations.get("prometheus.io/scrape") == "true":
            port = int(annotations.get("prometheus.io/port", "0"))
            if port not in exposed.values():
                fail(f"{swhere}: prometheus.io/port {port} is not one of its ports")
            if annotations.get("prometheus.io/path", "/metrics") != "/metrics":
                fail(f"{swhere}: prometheus.io/path should be /metrics")
            scraped.add(port)
    metrics_ports = {p for n, (_, p) in port_names.items() if p in (9851, 9852)}
    if scraped != metrics_ports:
        fail(f"metrics ports {sorted(metrics_ports)} should each be scraped through a Service with "
             f"prometheus.io annotations; scraped: {sorted(scraped)}")
    grpc_ports = {50051, 50052}
    client_ports = set()
    for service in services.values():
        if service["spec"].get("clusterIP") != "None":
            client_ports |= {p["port"] for p in service["spec"]["ports"]}
    if not grpc_ports <= client_ports:
        fail(f"no ClusterIP Service exposes the gRPC ports {sorted(grpc_ports)} to clients")
    for policy in by_kind.get("NetworkPolicy", []):
        pwhere = f"{policy['__file']}: NetworkPolicy/{policy['metadata']['name']}"
        psel = policy["spec"]["podSelector"].get("matchLabels", {})
        if any(pod_labels.get(k) != v for k, v in psel.items()):
            fail(f"{pwhere}: podSelector does not select the pod")
        allowed = {p["port"] for rule in policy["spec"].get("ingress", []) for p in rule.get("ports", [])}
        blocked = {p for _, p in port_names.values()} - allowed
        if blocked:
            fail(f"{pwhere}: no ingress rule admits container ports {sorted(blocked)}")
    print(f"kubernetes: {len(docs)} objects from kustomization.yaml check out "
          f"({', '.join(f'{len(v)} {k}' for k, v in sorted(by_kind.items()))})")
    if rendered_path:
        check_rendered(rendered_path, docs, generated, images)


def check_rendered(rendered_path, docs, generated, images):
    """`kubectl kustomize` output: same objects, the generated ConfigMap wired in by hashed name."""
    rendered = load_yaml_documents(rendered_path)
    ours = sorted((d["kind"], d["metadata"]["name"]) for d in docs)
    theirs = sorted((d["kind"], base_name(d["metadata"]["name"], generated)) for d in rendered)
    if ours != theirs:
        fail(f"kubectl kustomize made {theirs}, this check expected {ours}")
    config_maps = {d["metadata"]["name"]: d for d in rendered if d["kind"] == "ConfigMap"}
    for name, cm in config_maps.items():
        if cm.get("data") != generated[base_name(name, generated)]:
            fail(f"kubectl kustomize: ConfigMap {name} does not hold the flag files as they are")
    sts = next(d for d in rendered if d["kind"] == "StatefulSet")
    for volume in sts["spec"]["template"]["spec"]["volumes"]:
        ref = volume.get("configMap", {}).get("name")
        if ref is not None and ref not in config_maps:
            fail(f"kubectl kustomize: volume {volume['name']} refers to ConfigMap {ref}, which it did not make")
    for container in sts["spec"]["template"]["spec"]["containers"]:
        for image in images.values():
            wanted = f"{image.get('newName', image['name'])}:{image['newTag']}"
            if container["image"] != wanted:
                fail(f"kubectl kustomize: container {container['name']} image {container['image']}, expected {wanted}")
    print(f"kubernetes: `kubectl kustomize` renders the same {len(rendered)} objects")


def configmap_flags(source_dir, out_dir):
    _, generated, _ = own_render(os.path.join(source_dir, "deploy", "kubernetes"))
    for data in generated.values():
        for key, value in data.items():
            with open(os.path.join(out_dir, key), "w", encoding="utf-8") as f:
                f.write(value)


# ---- Containerfile ---------------------------------------------------------------------------


def containerfile_instructions(path):
    """[(line_number, INSTRUCTION, arguments)], continuation lines joined, comments dropped."""
    out = []
    pending, start = "", 0
    for number, line in enumerate(read(path).split("\n"), 1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        pending += stripped
        instruction, _, arguments = pending.partition(" ")
        out.append((start, instruction.upper(), arguments.strip()))
        pending = ""
    if pending:
        fail(f"{path}: ends inside a continued line")
    return out


def dpkg_owner(path):
    candidates = [path, os.path.realpath(path)]
    for candidate in list(candidates):
        if candidate.startswith("/usr/lib/"):
            candidates.append(candidate[len("/usr"):])
        elif candidate.startswith("/lib/"):
            candidates.append("/usr" + candidate)
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0].strip()
    return None


def needed_packages(binary):
    """The Debian packages owning the libraries BINARY links directly (ELF NEEDED)."""
    dump = subprocess.run(["objdump", "-p", binary], capture_output=True, text=True, check=True)
    needed = re.findall(r"^\s*NEEDED\s+(\S+)", dump.stdout, re.MULTILINE)
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True)
    paths = dict(re.findall(r"^\s*(\S+) => (/\S+)", ldd.stdout, re.MULTILINE))
    packages = {}
    for soname in needed:
        if soname not in paths:
            fail(f"{binary}: ldd does not resolve {soname}")
        package = dpkg_owner(paths[soname])
        if package is None:
            fail(f"{binary}: {soname} ({paths[soname]}) belongs to no Debian package; the image "
                 f"cannot install it")
        packages.setdefault(package, []).append(soname)
    return packages


def package_known(name):
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", name],
                            capture_output=True, text=True)
    if status.returncode == 0 and status.stdout == "installed":
        return "installed here"
    policy = subprocess.run(["apt-cache", "policy", name], capture_output=True, text=True)
    match = re.search(r"Candidate:\s*(\S+)", policy.stdout)
    if match and match.group(1) != "(none)":
        return f"apt candidate {match.group(1)}"
    return None


# In debian:12-slim already (apt needs them), so they need not be listed.
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}
NON_LIBRARY_PACKAGES = {"tzdata", "ca-certificates"}


def check_containerfile(source_dir, binaries):
    path = os.path.join(source_dir, "deploy", "Containerfile")
    instructions = containerfile_instructions(path)
    stages = []
    for number, instruction, arguments in instructions:
        if instruction == "FROM":
            stages.append({"from": arguments, "line": number, "items": []})
        elif not stages:
            fail(f"{path}:{number}: {instruction} before the first FROM")
        else:
            stages[-1]["items"].append((number, instruction, arguments))
    if len(stages) != 2:
        fail(f"{path}: expected two stages (build, runtime), found {len(stages)}")
    build, runtime = stages
    if build["from"] != "debian:12 AS build":
        fail(f"{path}:{build['line']}: the build stage should be `FROM debian:12 AS build`")
    if runtime["from"] != "debian:12-slim":
        fail(f"{path}:{runtime['line']}: the runtime stage should be `FROM debian:12-slim`")
    build_runs = " ".join(a for _, i, a in build["items"] if i == "RUN")
    for needle in ("deploy/install-deps.sh", "cmake --install", "--prefix /usr/local"):
        if needle not in build_runs:
            fail(f"{path}: the build stage should run {needle!r}")
    if not re.search(r"-DCMAKE_BUILD_TYPE=(Release|RelWithDebInfo)\b", build_runs):
        fail(f"{path}: the build stage should configure a Release or RelWithDebInfo build")
    for stage in stages:
        for number, instruction, arguments in stage["items"]:
            if instruction not in ("COPY", "ADD"):
                continue
            words = shlex.split(arguments)
            if any(w.startswith("--from=") for w in words):
                continue
            if instruction == "ADD":
                fail(f"{path}:{number}: use COPY, not ADD")
            for source in [w for w in words if not w.startswith("--")][:-1]:
                if not os.path.exists(os.path.join(source_dir, source)):
                    fail(f"{path}:{number}: COPY source {source} does not exist in the repository")
    runtime_items = runtime["items"]
    users = [a for _, i, a in runtime_items if i == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        fail(f"{path}: the runtime stage must end as a non-root USER")
    volumes = " ".join(a for _, i, a in runtime_items if i == "VOLUME")
    if "/var/lib/preflight" not in volumes:
        fail(f"{path}: VOLUME /var/lib/preflight is missing")
    exposed = {int(p.split("/")[0]) for _, i, a in runtime_items if i == "EXPOSE" for p in a.split()}
    if exposed != {50051, 50052, 9851, 9852}:
        fail(f"{path}: EXPOSE should be 50051 50052 9851 9852, is {sorted(exposed)}")
    copies = " ".join(a for _, i, a in runtime_items if i == "COPY")
    for needle in ("/usr/local/bin/", "/usr/local/share/preflight/"):
        if needle not in copies:
            fail(f"{path}: the runtime stage should COPY --from=build {needle}")
    # The packages the runtime stage installs.
    listed = set()
    for _, instruction, arguments in runtime_items:
        if instruction != "RUN":
            continue
        for command in re.split(r"&&|;", arguments):
            words = command.split()
            if words[:2] == ["apt-get", "install"]:
                listed |= {w for w in words[2:] if not w.startswith("-")}
    if not listed:
        fail(f"{path}: the runtime stage installs no packages with apt-get install")
    for name in sorted(NON_LIBRARY_PACKAGES - listed):
        fail(f"{path}: the runtime stage should install {name}")
    unknown = [name for name in sorted(listed) if package_known(name) is None]
    if unknown:
        fail(f"{path}: not Debian 12 packages (neither installed here nor known to apt): {unknown}")
    needed = {}
    for binary in binaries:
        for package, sonames in needed_packages(binary).items():
            # A sanitizer build's runtimes; the image's Release build does not link them.
            if package.startswith(("libclang-rt", "libllvm")):
                continue
            needed.setdefault(package, set()).update(
                f"{os.path.basename(binary)}: {s}" for s in sonames)
    missing = {p: sorted(s) for p, s in needed.items() if p not in listed | BASE_PACKAGES}
    if missing:
        fail(f"{path}: the runtime stage lacks packages the binaries link: "
             + "; ".join(f"{p} ({', '.join(s)})" for p, s in sorted(missing.items())))
    # spdlog's fmt: a clang build links it directly, a g++ build (--as-needed) only through
    # libspdlog; the image installs it either way.
    either_way = {"libfmt9"}
    unused = sorted(listed - set(needed) - BASE_PACKAGES - NON_LIBRARY_PACKAGES - either_way)
    if unused:
        fail(f"{path}: the runtime stage installs {unused}, which none of the binaries links "
             f"(objdump -p: NEEDED); drop them or link them")
    print(f"containerfile: 2 stages; runtime packages {sorted(listed)} cover every library the "
          f"binaries link ({len(needed)} packages) and exist in Debian 12")
    check_ignore_file(source_dir)


def check_ignore_file(source_dir):
    container = os.path.join(source_dir, ".containerignore")
    docker = os.path.join(source_dir, ".dockerignore")
    for path in (container, docker):
        if not os.path.isfile(path):
            fail(f"{path}: missing")
    if read(container) != read(docker):
        fail(".dockerignore and .containerignore differ")
    patterns = [line.strip() for line in read(container).split("\n")
                if line.strip() and not line.strip().startswith("#")]
    for must in (".git", ".data", ".tools"):
        if must not in patterns:
            fail(f".containerignore: should exclude {must}")
    for probe in ("build", "build-san", "build-test", "build-deploy"):
        if not any(fnmatch.fnmatchcase(probe, p) for p in patterns):
            fail(f".containerignore: the build folder {probe}/ would be sent to the image build")
    needed = ["CMakeLists.txt", "deploy", "data", "proto", "common", "checklist-service",
              "notifier-service", "cli", "tests", "fuzz"]
    if os.path.isdir(os.path.join(source_dir, "cmake")):
        needed.append("cmake")
    for entry in needed:
        if any(fnmatch.fnmatchcase(entry, p) for p in patterns if not p.startswith("!")):
            fail(f".containerignore: excludes {entry}, which the build needs")
    print("containerignore: keeps .git, build folders, .data and .tools out, the sources in")


# ---- running services ------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def wait_listen(log, timeout, pid, skip):
    """The gRPC port from the first "listening on HOST:PORT" line whose port is not in SKIP (the
    metrics port, which may be announced the same way), while process PID lives."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(r"listening on \[?[^\s\"\]]*\]?:(\d+)")
    text = ""
    while time.monotonic() < deadline:
        try:
            text = read(log)
        except FileNotFoundError:
            text = ""
        for match in pattern.finditer(text):
            if match.group(1) not in skip:
                print(match.group(1))
                return
        if not os.path.exists(f"/proc/{pid}") or is_zombie(pid):
            fail(f"the process exited before listening; {log} says:\n{text}")
        time.sleep(0.1)
    fail(f"no 'listening on HOST:PORT' in {log} within {timeout} s; it says:\n{text}")


def is_zombie(pid):
    try:
        return read(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def health(address, service, timeout, ca=None, server_name=None):
    """grpc.health.v1.Health/Check, as the kubelet's gRPC probe asks it. The request and answer
    are encoded by hand (field 1: service; field 1: status), so no generated stubs are needed."""
    import grpc  # python3-grpcio

    if ca:
        with open(ca, "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        options = [("grpc.ssl_target_name_override", server_name)] if server_name else []
        channel = grpc.secure_channel(address, credentials, options=options)
    else:
        channel = grpc.insecure_channel(address)
    encoded = service.encode()
    request = b"\x0a" + bytes([len(encoded)]) + encoded if encoded else b""
    check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                request_serializer=lambda r: r,
                                response_deserializer=lambda r: r)
    names = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            answer = check(request, timeout=5)
            status = answer[1] if len(answer) >= 2 and answer[0] == 0x08 else 0
            last = names.get(status, str(status))
            if status == 1:
                print(f"{address} {service}: SERVING")
                return
        except grpc.RpcError as error:
            last = f"{error.code().name}: {error.details()}"
        time.sleep(0.3)
    fail(f"gRPC health of {service!r} at {address}: {last} (not SERVING within {timeout} s)")


def http_get(url, timeout):
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read()
                if response.status == 200 and body.strip():
                    print(f"{url}: 200, {len(body)} bytes")
                    return
                last = f"HTTP {response.status}, {len(body)} bytes"
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        time.sleep(0.3)
    fail(f"GET {url}: {last} (no 200 with a body within {timeout} s)")


def json_log(log):
    for line in read(log).split("\n"):
        line = line.strip()
        if line.startswith("{"):
            try:
                if isinstance(json.loads(line), dict):
                    print(f"{log}: JSON log lines")
                    return
            except ValueError:
                pass
    fail(f"{log}: --log_format=json, but no line is a JSON object:\n{read(log)}")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    try:
        if command == "flags":
            check_flags(args[0])
        elif command == "uncomment":
            uncomment(args[0], args[1])
        elif command == "rewrite":
            rewrite(args[0], args[1], args[2:])
        elif command == "flag":
            print_flag(args[0], args[1])
        elif command == "systemd":
            check_systemd(args[0])
        elif command == "kubernetes":
            check_kubernetes(args[0], args[1] if len(args) > 1 else None)
        elif command == "configmap-flags":
            configmap_flags(args[0], args[1])
        elif command == "containerfile":
            check_containerfile(args[0], args[1:])
        elif command == "free-port":
            free_port()
        elif command == "wait-listen":
            wait_listen(args[0], float(args[1]), args[2], set(args[3:]))
        elif command == "health":
            health(args[0], args[1], float(args[2]), *args[3:5])
        elif command == "http-get":
            http_get(args[0], float(args[1]))
        elif command == "json-log":
            json_log(args[0])
        else:
            print(f"unknown command {command}", file=sys.stderr)
            return 2
    except Failure as failure:
        print(f"deploy-kit: FAIL: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
