# SPDX-License-Identifier: GPL-2.0-only
"""The netlink spec is the contract (host side, seconds).

Documentation/netlink/specs/heartbeat.yaml must load in the kernel's own
tools, and the hand-written uapi header and hbctl's parsers must say what
it says:

- the spec validates against the 6.12 schema (genetlink-legacy.yaml) and
  loads in ynl's spec library;
- every name the 6.12 generator (ynl-gen-c.py --mode uapi) makes of the
  spec is in include/uapi/linux/heartbeat.h with the same value, the C
  compiler evaluating both, and the header has nothing the spec lacks;
- every attribute hbctl parses (its struct attr_policy tables, node.c's
  node_fields[], the elements of its nests) has the spec's type, and every
  attribute the kernel sends that hbctl ignores is listed in HBCTL_IGNORES;
- kmod/names.c's words for enum values (sysfs, uevents, hbctl) are the
  spec's entry names, but for WORDS_DIFFER.

The header is not generated: the generator drops the per-value comments C
readers rely on, writes constants without their U suffix (3600000000
would become a long) and has no HEARTBEAT_CMD_UNSPEC; and 6.12's cannot
render scalar indexed arrays at all (see generated_header()).

Run by make check's netlink-spec stage (make -C selftests/host spec). The
spec's checks that need the 6.12 tools skip when /usr/src/linux-source-6.12
lacks them (scripts/install-deps unpacks them)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

TOP = Path(__file__).resolve().parents[2]
SPEC = TOP / "Documentation/netlink/specs/heartbeat.yaml"
HEADER = TOP / "include/uapi/linux/heartbeat.h"
HBCTL = TOP / "tools/hbctl"
KSRC = Path(os.environ.get("HB_LINUX_SOURCE", "/usr/src/linux-source-6.12"))
SCHEMA = KSRC / "Documentation/netlink/genetlink-legacy.yaml"
YNL = KSRC / "tools/net/ynl"

needs_ynl = pytest.mark.skipif(
    not (YNL / "ynl-gen-c.py").is_file() or not SCHEMA.is_file(),
    reason=f"no {YNL} or {SCHEMA} (scripts/install-deps unpacks them from linux-source-6.12)")

# Names the header has that the spec cannot make, and why.
HEADER_ONLY = {
    "HEARTBEAT_CMD_UNSPEC": "command 0, never sent; the generator starts at node-get = 1",
}

# Attributes the kernel sends that hbctl does not parse: (set, attribute)
# and why. A new one fails test_hbctl_ignores_only_listed_attributes until
# hbctl parses it or it is listed here.
HBCTL_IGNORES = {}

# How hbctl parses the elements of a nest the spec describes, beyond a
# policy table of the nested set: the functions (file, name) applied to
# tb[ATTR], the first of them called on it as name(tb[ATTR]).
ELEMENT_PARSERS = {
    ("stats", "drops"): [("stats.c", "drops_check")],
    ("event", "drops"): [("monitor_local.c", "drops_valid")],
    ("stats", "links"): [("stats.c", "links_check"), ("link.c", "link_parse")],
    ("peer", "paths"): [("peer.c", "paths_check"), ("peer.c", "path_parse")],
    ("peer", "channels"): [("peer.c", "channels_check"), ("peer.c", "channel_parse")],
    ("peer", "heard-by"): [("quorum.c", "id_list_check")],
    ("quorum", "members"): [("quorum.c", "id_list_check")],
}

# Policy tables of histogram buckets, by the constant that sizes them.
BUCKET_TABLES = {
    "HEARTBEAT_LATE_BUCKETS": ("link", "late-hist"),
    "HEARTBEAT_DETECT_BUCKETS": ("stats", "detect-hist"),
    "HEARTBEAT_RTT_BUCKETS": ("peer", "rtt-hist"),
}

# Words kmod/names.c gives values (sysfs, uevents, hbctl), where they are
# not the spec's entry names with - as _: (enum, entry) -> word.
WORDS_DIFFER = {
    ("event-type", "peer-state"): "state",
    ("event-type", "peer-restart"): "restart",
    ("event-type", "peer-expired"): "expired",
    ("event-type", "peer-ready"): "ready",
}

MNL_TYPES = {
    "MNL_TYPE_U8": "u8", "MNL_TYPE_U16": "u16", "MNL_TYPE_U32": "u32",
    "MNL_TYPE_U64": "u64", "MNL_TYPE_NUL_STRING": "string",
    "MNL_TYPE_STRING": "string", "MNL_TYPE_BINARY": "binary",
    "MNL_TYPE_FLAG": "flag", "MNL_TYPE_NESTED": "nest",
}
PUT_TYPES = {"u8": "u8", "u16": "u16", "u32": "u32", "u64": "u64",
             "strz": "string", "str": "string"}


def c_upper(name):
    return name.upper().replace("-", "_")


@pytest.fixture(scope="module")
def spec():
    with open(SPEC) as f:
        return yaml.safe_load(f)


def attr_sets(spec):
    """Full sets (not subsets) by name: {attr name: attr dict}."""
    return {s["name"]: {a["name"]: a for a in s["attributes"]}
            for s in spec["attribute-sets"] if "subset-of" not in s}


def set_prefix(aset):
    return c_upper(aset.get("name-prefix", f"heartbeat-a-{aset['name']}-"))


def c_attrs(spec):
    """{C name: (set, attribute dict)} of every attribute of a full set."""
    out = {}
    for s in spec["attribute-sets"]:
        if "subset-of" in s:
            continue
        for a in s["attributes"]:
            out[set_prefix(s) + c_upper(a["name"])] = (s["name"], a)
    return out


def element_type(attr):
    """What each element of a nest carries: a scalar type, or nest."""
    if attr["type"] == "indexed-array":
        return attr["sub-type"]
    return None


# ---- the spec itself -------------------------------------------------


def test_enum_entries_are_strings(spec):
    """PyYAML is YAML 1.1: an unquoted off or on is a boolean, and ynl
    dies on it; quoted entries stay words."""
    bad = []
    for d in spec.get("definitions", []):
        for e in d.get("entries", []):
            name = e["name"] if isinstance(e, dict) else e
            if not isinstance(name, str):
                bad.append(f"{d['name']}: {name!r}")
    assert not bad, "enum entries that YAML reads as non-strings (quote them): " + ", ".join(bad)


def test_every_op_and_attribute_has_doc(spec):
    missing = [f"operation {op['name']}" for op in spec["operations"]["list"]
               if not op.get("doc")]
    for s in spec["attribute-sets"]:
        if "subset-of" in s:
            continue
        missing += [f"attribute {s['name']}.{a['name']}" for a in s["attributes"]
                    if a["type"] != "unused" and not a.get("doc")]
    assert not missing, "no doc: " + ", ".join(missing)


def test_nests_name_their_attributes(spec):
    """ynl decodes a nest only through its nested-attributes set."""
    sets = {s["name"] for s in spec["attribute-sets"]}
    bad = []
    for s in spec["attribute-sets"]:
        for a in s["attributes"]:
            nested = a.get("type") == "nest" or a.get("sub-type") == "nest"
            if nested and a.get("nested-attributes") not in sets:
                bad.append(f"{s['name']}.{a['name']}: nested-attributes "
                           f"{a.get('nested-attributes')!r}")
    assert not bad, "nests without a known attribute set: " + ", ".join(bad)


@needs_ynl
def test_spec_validates_against_the_6_12_schema(spec):
    import jsonschema
    with open(SCHEMA) as f:
        schema = yaml.safe_load(f)
    assert spec["protocol"] == "genetlink-legacy"
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(spec),
                    key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


@needs_ynl
@pytest.mark.filterwarnings("ignore:The metaschema specified by:DeprecationWarning")
def test_spec_loads_in_ynl(spec):
    """ynl's own spec library resolves every set, enum, nest and op."""
    sys.path.insert(0, str(YNL))
    try:
        from lib import SpecFamily
    finally:
        sys.path.pop(0)
    family = SpecFamily(str(SPEC), str(SCHEMA))
    assert family.name == "heartbeat"
    assert set(family.msgs) == {op["name"] for op in spec["operations"]["list"]}
    assert family.mcast_groups.keys() == {"events"}


# ---- the uapi header -------------------------------------------------


def generated_header(tmp_path):
    """The 6.12 generator's uapi header of the spec. It wants a kernel tree
    (a MAINTAINERS file above the spec, the schema beside specs/), and it
    cannot render an indexed array of scalars (histograms, id lists), so
    those go in as binary: the names and values it makes stay the same."""
    root = tmp_path / "tree"
    specs = root / "Documentation/netlink/specs"
    specs.mkdir(parents=True)
    (root / "MAINTAINERS").touch()
    (specs.parent / SCHEMA.name).symlink_to(SCHEMA)
    text = SPEC.read_text()
    spec = yaml.safe_load(text)
    for s in spec["attribute-sets"]:
        for a in s["attributes"]:
            if a.get("type") == "indexed-array" and a.get("sub-type") != "nest":
                a["type"] = "binary"
                del a["sub-type"]
    spdx = text.splitlines()[0]
    (specs / SPEC.name).write_text(spdx + "\n" + yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "heartbeat.h"
    subprocess.run([sys.executable, str(YNL / "ynl-gen-c.py"), "--mode", "uapi",
                    "--header", "--spec", str(specs / SPEC.name), "-o", str(out)],
                   check=True, cwd=tmp_path)
    return out.read_text()


def header_names(text):
    """{name: (kind, enum tag)}: enumerators and #defines with a value,
    comments stripped. kind is "string" for a string #define."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    names = {}
    for tag, body in re.findall(r"\benum\s+(\w*)\s*\{(.*?)\}", text, re.S):
        for item in body.split(","):
            m = re.match(r"\s*([A-Za-z_]\w*)", item)
            if m:
                names[m.group(1)] = ("int", tag)
    for name, value in re.findall(r"^\s*#\s*define\s+(\w+)[ \t]+(\S.*)$", text, re.M):
        names[name] = ("string" if value.strip().startswith('"') else "int", None)
    return names


def header_values(header, names, tmp_path):
    """{name: value} as the C compiler sees them in @header."""
    lines = ["#include <stdio.h>", f'#include "{header}"', "int main(void)", "{"]
    for name, (kind, _) in sorted(names.items()):
        if kind == "string":
            lines.append(f'\tprintf("%s \\"%s\\"\\n", "{name}", {name});')
        else:
            lines.append(f'\tprintf("%s %lld\\n", "{name}", (long long)({name}));')
    lines += ["\treturn 0;", "}"]
    src = tmp_path / f"values-{Path(header).parent.name}.c"
    src.write_text("\n".join(lines) + "\n")
    exe = src.with_suffix("")
    subprocess.run([os.environ.get("CC", "cc"), "-Wall", "-o", str(exe), str(src)],
                   check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())


@needs_ynl
def test_uapi_header_agrees_with_spec(tmp_path):
    gen_dir = tmp_path / "generated"
    gen_dir.mkdir()
    gen_h = gen_dir / "heartbeat.h"
    gen_h.write_text(generated_header(tmp_path))
    gen = header_names(gen_h.read_text())
    ours = header_names(HEADER.read_text())
    assert "HEARTBEAT_A_NODE_ID" in gen and "HEARTBEAT_GENL_NAME" in gen

    def where(name):
        tag = gen.get(name, ours.get(name, (None, None)))[1]
        return f"enum {tag}" if tag else "#define"

    problems = [f"{HEADER.relative_to(TOP)} lacks {n} ({where(n)}), which the spec makes"
                for n in sorted(gen.keys() - ours.keys())]
    problems += [f"{n} ({where(n)}) is in {HEADER.relative_to(TOP)} but not in the "
                 f"spec: add it to {SPEC.relative_to(TOP)}"
                 for n in sorted(ours.keys() - gen.keys() - HEADER_ONLY.keys())]
    problems += [f"HEADER_ONLY lists {n}, which the spec makes now: drop it"
                 for n in sorted(HEADER_ONLY.keys() & gen.keys())]
    gen_tags = {t for _, t in gen.values() if t}
    our_tags = {t for _, t in ours.values() if t}
    problems += [f"the header has no enum {t}, which the spec makes"
                 for t in sorted(gen_tags - our_tags)]
    common = {n: gen[n] for n in gen.keys() & ours.keys()}
    want = header_values(gen_h, common, tmp_path)
    have = header_values(HEADER, common, tmp_path)
    problems += [f"{n} ({where(n)}) is {have[n]} in the header, {want[n]} in the spec"
                 for n in sorted(common) if want[n] != have[n]]
    assert not problems, "\n".join(problems)


# ---- hbctl ------------------------------------------------------------


def hbctl_sources():
    return {p.name: p.read_text() for p in sorted(HBCTL.glob("*.c"))}


def function_body(text, name):
    m = re.search(r"^[^\n;]*\b" + re.escape(name) + r"\([^;{]*\)\s*\{(.*?)^\}", text, re.S | re.M)
    return m.group(1) if m else None


def policy_tables(sources):
    """[(file, table, size macro, {index: (MNL type, len)})] of every
    struct attr_policy table; a range [1 ... N] has index "1...N"."""
    tables = []
    pat = re.compile(r"static const struct attr_policy\s+(\w+)\s*\[\s*(\w+)\s*\+\s*1\s*\]"
                     r"\s*=\s*\{(.*?)^\};", re.S | re.M)
    for fname, text in sources.items():
        for table, size, body in pat.findall(text):
            body = re.sub(r"/\*.*?\*/", " ", body, flags=re.S)
            rows = {}
            for index, mnl, length in re.findall(
                    r"\[\s*([^\]]+?)\s*\]\s*=\s*\{\s*(MNL_TYPE_\w+)\s*(?:,\s*(\w+))?", body):
                rows[re.sub(r"\s+", "", index)] = (mnl, length or None)
            # a row written some other way must not pass unread
            assert len(rows) == len(re.findall(r"\[[^\]]+\]\s*=", body)), \
                f"{fname}: {table} has rows this test cannot read ([ATTR] = {{ MNL_TYPE_X }})"
            tables.append((fname, table, size, rows))
    return tables


def node_field_types(sources):
    """{C name: MNL type} of node.c's node_fields[], through field_type()."""
    text = sources["node.c"]
    body = function_body(text, "field_type")
    assert body, "node.c: no field_type() to map field kinds to types"
    kinds, default, pending = {}, None, []
    for tok in re.findall(r"case\s+\w+:|default:|return\s+MNL_TYPE_\w+;", body):
        if tok.startswith("return"):
            mnl = tok.split()[1].rstrip(";")
            for k in pending:
                if k == "default":
                    default = mnl
                else:
                    kinds[k] = mnl
            pending = []
        else:
            pending.append("default" if tok == "default:" else tok.split()[1].rstrip(":"))
    fields = re.findall(r"\.attr\s*=\s*(HEARTBEAT_A_NODE_\w+)\s*,\s*\.kind\s*=\s*(F_\w+)", text)
    assert fields and len(fields) == len(re.findall(r"\.attr\s*=(?!=)", text)), \
        "node.c: node_fields[] rows this test cannot read (.attr = ..., .kind = ...)"
    return {attr: kinds.get(kind, default) for attr, kind in fields}


def hbctl_parsed(spec):
    """[(where, set, attribute, C name, MNL type, len)] of every attribute
    hbctl parses by name, and the problems found on the way."""
    sources = hbctl_sources()
    by_c = c_attrs(spec)
    prefixes = {set_prefix(s) + "MAX": s["name"] for s in spec["attribute-sets"]
                if "subset-of" not in s}
    parsed, problems = [], []
    for fname, table, size, rows in policy_tables(sources):
        if size in BUCKET_TABLES:
            continue
        set_name = prefixes.get(size)
        if not set_name:
            problems.append(f"{fname}: {table}[{size} + 1] is no attribute set's table "
                            "(nor in BUCKET_TABLES)")
            continue
        for index, (mnl, length) in rows.items():
            if index not in by_c:
                problems.append(f"{fname}: {table} parses {index}, which the spec "
                                f"(attribute-set {set_name}) does not have")
                continue
            owner, attr = by_c[index]
            if owner != set_name:
                problems.append(f"{fname}: {table} ({set_name}) parses {index} of set {owner}")
            parsed.append((f"{fname}: {table}", owner, attr, index, mnl, length))
    for cname, mnl in node_field_types(sources).items():
        if cname not in by_c:
            problems.append(f"node.c: node_fields[] has {cname}, which the spec lacks")
            continue
        parsed.append(("node.c: node_fields[]", "node", by_c[cname][1], cname, mnl, None))
    return parsed, problems


def test_hbctl_parses_spec_types(spec):
    """Every attribute hbctl parses has the type the spec gives it."""
    parsed, problems = hbctl_parsed(spec)
    assert len(parsed) > 100, \
        f"only {len(parsed)} parsed attributes found: the reading of the C sources is broken"
    defines = dict(re.findall(r"#define\s+(\w+)\s+(\d+)\b",
                              "\n".join(p.read_text() for p in HBCTL.glob("*.[ch]"))))
    for where, set_name, attr, cname, mnl, length in parsed:
        have = MNL_TYPES.get(mnl, mnl)
        want = attr["type"]
        if want == "indexed-array":
            want = "nest"
        if have != want:
            problems.append(f"{where}: {cname} parsed as {mnl}, the spec's "
                            f"{set_name}.{attr['name']} is {attr['type']}")
        exact = attr.get("checks", {}).get("exact-len")
        if length and exact is not None and defines.get(length, length) != str(exact):
            problems.append(f"{where}: {cname} length {length}, the spec's exact-len is {exact}")
    assert not problems, "\n".join(problems)


def test_hbctl_parses_nest_elements_as_spec(spec):
    """The elements of every nest hbctl parses: histogram buckets through
    their range tables, the rest through ELEMENT_PARSERS' functions."""
    sources = hbctl_sources()
    sets = attr_sets(spec)
    subsets = {s["name"]: s["subset-of"] for s in spec["attribute-sets"] if "subset-of" in s}
    tables = {t: (f, size, rows) for f, t, size, rows in policy_tables(sources)}
    table_set = {t: next((s["name"] for s in spec["attribute-sets"]
                          if "subset-of" not in s and set_prefix(s) + "MAX" == size), None)
                 for t, (_, size, _) in tables.items()}
    parsed, problems = hbctl_parsed(spec)
    nests = {(s, a["name"]): (a, c) for _, s, a, c, mnl, _ in parsed if mnl == "MNL_TYPE_NESTED"}
    checked = set()
    for table, (fname, size, rows) in tables.items():
        if size not in BUCKET_TABLES:
            continue
        key = BUCKET_TABLES[size]
        attr = sets[key[0]][key[1]]
        mnl = rows.get(f"1...{size}", (None,))[0]
        if element_type(attr) != MNL_TYPES.get(mnl):
            problems.append(f"{fname}: {table} parses the buckets of {key[0]}.{key[1]} as "
                            f"{mnl}, the spec's elements are {element_type(attr)}")
        checked.add(key)
    for key, funcs in ELEMENT_PARSERS.items():
        attr = sets[key[0]][key[1]]
        cname = nests.get(key, (None, None))[1]
        if not cname:
            problems.append(f"ELEMENT_PARSERS lists {key[0]}.{key[1]}, which hbctl does not "
                            "parse as a nest")
            continue
        first = funcs[0][1]
        if not any(re.search(re.escape(first) + r"\s*\(\s*tb\[\s*" + cname + r"\s*\]", t)
                   for t in sources.values()):
            problems.append(f"ELEMENT_PARSERS: no {first}(tb[{cname}]) in tools/hbctl")
        bodies = []
        for fname, func in funcs:
            body = function_body(sources.get(fname, ""), func)
            if body is None:
                problems.append(f"ELEMENT_PARSERS: no function {func}() in tools/hbctl/{fname}")
            else:
                bodies.append(body)
        body = "\n".join(bodies)
        validated = {MNL_TYPES[m] for m in
                     re.findall(r"mnl_attr_validate\(\s*\w+\s*,\s*(MNL_TYPE_\w+)", body)}
        policies = re.findall(r"attr_parse_nest\([^;]*?,\s*(\w+_policy)\s*,", body)
        if attr["type"] == "nest":
            # a nest of a set whose attribute types are the keys (drops)
            want = {a["type"] for a in sets[attr["nested-attributes"]].values()
                    if a["type"] not in ("pad", "unused")}
        else:
            want = {element_type(attr)}
        if attr.get("nested-attributes") and "nest" in want:
            nested = subsets.get(attr["nested-attributes"], attr["nested-attributes"])
            if not any(table_set.get(p) == nested for p in policies):
                problems.append(f"{key[0]}.{key[1]}: {', '.join(f for _, f in funcs)} parse "
                                f"no table of set {nested} (policies: {policies})")
        if want != validated:
            problems.append(f"{key[0]}.{key[1]}: {', '.join(f for _, f in funcs)} validate "
                            f"elements as {sorted(validated)}, the spec's are {sorted(want)}")
        checked.add(key)
    problems += [f"hbctl parses {s}.{a} ({c}) as a nest, but nothing checks its elements: "
                 "add its functions to ELEMENT_PARSERS"
                 for (s, a), (_, c) in sorted(nests.items()) if (s, a) not in checked]
    assert not problems, "\n".join(problems)


def kernel_sends(spec):
    """{(set, attribute)} the kernel puts in replies and events: the ops'
    reply and event lists, and everything of a set reached through a nest."""
    sets = attr_sets(spec)
    subsets = {s["name"]: s for s in spec["attribute-sets"] if "subset-of" in s}
    sent = set()
    for op in spec["operations"]["list"]:
        lists = [op.get(m, {}).get("reply", {}).get("attributes", []) for m in ("do", "dump")]
        lists.append(op.get("event", {}).get("attributes", []))
        for names in lists:
            sent |= {(op["attribute-set"], n) for n in names}
    todo = list(sent)
    while todo:
        s, a = todo.pop()
        nested = sets[s][a].get("nested-attributes")
        if not nested:
            continue
        if nested in subsets:
            more = {(subsets[nested]["subset-of"], x["name"])
                    for x in subsets[nested]["attributes"]}
        else:
            more = {(nested, x) for x, v in sets[nested].items()
                    if v["type"] not in ("pad", "unused")}
        todo += list(more - sent)
        sent |= more
    return sent


def test_hbctl_ignores_only_listed_attributes(spec):
    parsed, problems = hbctl_parsed(spec)
    seen = {(s, a["name"]) for _, s, a, _, _, _ in parsed}
    # the members of a nest whose attribute types are the keys (drops)
    for key, _ in ELEMENT_PARSERS.items():
        attr = attr_sets(spec)[key[0]][key[1]]
        if attr["type"] == "nest":
            seen |= {(attr["nested-attributes"], n)
                     for n in attr_sets(spec)[attr["nested-attributes"]]}
    ignored = sorted(kernel_sends(spec) - seen)
    problems += [f"the kernel sends {s}.{a}, which hbctl does not parse: parse it, or "
                 "list it in HBCTL_IGNORES with the reason" for s, a in ignored
                 if (s, a) not in HBCTL_IGNORES]
    problems += [f"HBCTL_IGNORES lists {s}.{a}, which hbctl parses or the kernel does not "
                 "send: drop it" for s, a in sorted(HBCTL_IGNORES.keys() - set(ignored))]
    assert not problems, "\n".join(problems)


def test_hbctl_puts_spec_types(spec):
    """Attributes hbctl sends by name have the spec's type."""
    by_c = c_attrs(spec)
    problems, n = [], 0
    for fname, text in hbctl_sources().items():
        puts = re.findall(r"mnl_attr_put(?:_(\w+))?\(\s*\w+\s*,\s*(HEARTBEAT_A_\w+)", text)
        for kind, cname in puts:
            n += 1
            if cname not in by_c:
                problems.append(f"{fname}: puts {cname}, which the spec lacks")
                continue
            set_name, attr = by_c[cname]
            have = PUT_TYPES.get(kind, "binary" if not kind else kind)
            if have != attr["type"] and not (have == "binary" and attr["type"] == "flag"):
                problems.append(f"{fname}: puts {cname} as {have}, the spec's "
                                f"{set_name}.{attr['name']} is {attr['type']}")
    assert n > 10, "no mnl_attr_put*() of a HEARTBEAT_A_ name found in tools/hbctl"
    assert not problems, "\n".join(problems)


def test_enum_words_are_the_specs():
    """kmod/names.c's words for enum values (what sysfs, uevents and hbctl
    print; ynl prints the spec's names) are the spec's entries, - as _,
    but for WORDS_DIFFER; each table names every value of its enum."""
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    entries = {}
    for d in spec["definitions"]:
        if d["type"] != "enum":
            continue
        prefix = c_upper(d.get("name-prefix", f"heartbeat-{d['name']}-"))
        names = [e["name"] if isinstance(e, dict) else e for e in d["entries"]]
        entries.update({prefix + c_upper(n): (d["name"], n) for n in names})
    for s in spec["attribute-sets"]:
        if s["name"] == "drops":
            entries.update({set_prefix(s) + c_upper(a["name"]): ("drops", a["name"])
                            for a in s["attributes"] if a["type"] != "pad"})
    text = (TOP / "kmod/names.c").read_text()
    tables = re.findall(r"static const char \*const (\w+)\[\]\s*=\s*\{(.*?)\};", text, re.S)
    assert len(tables) >= 5, "kmod/names.c: no name tables found"
    problems, seen = [], set()
    # Tables written as an X-macro list of names.h: X(VALUE, "word") rows.
    header = (TOP / "kmod/names.h").read_text()
    xlists = {m.group(1): m.group(2) for m in
              re.finditer(r"#define (\w+)\(X\)((?:.*\\\n)*.*)", header)}
    for table, body in tables:
        rows = re.findall(r"\[\s*(\w+)\s*\]\s*=\s*\"([^\"]*)\"", body)
        for name, xbody in xlists.items():
            if name + "(" in body:
                rows += re.findall(r"X\((\w+),\s*\"([^\"]*)\"\)", xbody)
        enums = {entries[c][0] for c, _ in rows if c in entries}
        problems += [f"names.c: {table} names {c}, which the spec lacks"
                     for c, _ in rows if c not in entries]
        if len(enums) != 1:
            problems.append(f"names.c: {table} names values of {sorted(enums) or 'no'} spec enum")
            continue
        enum = enums.pop()
        seen.add(enum)
        for c, word in rows:
            if c not in entries:
                continue
            want = WORDS_DIFFER.get(entries[c], entries[c][1].replace("-", "_"))
            if word != want:
                problems.append(f"names.c: {table} calls {c} {word!r}, not {want!r} (the "
                                f"spec's {entries[c][1]!r}; or list it in WORDS_DIFFER)")
        named = {c for c, _ in rows}
        problems += [f"names.c: {table} has no word for {c} ({enum} {e})"
                     for c, (en, e) in sorted(entries.items()) if en == enum and c not in named]
    problems += [f"WORDS_DIFFER lists {e}.{n}, which names.c does not name"
                 for e, n in WORDS_DIFFER if e not in seen]
    assert not problems, "\n".join(problems)

