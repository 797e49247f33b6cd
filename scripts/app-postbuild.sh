#!/bin/sh
# Trunk post_build hook: make the built page work under `connect-src 'none'`.
#  1. The wasm would be fetched (fetch() and <link rel=preload as=fetch> are connections, which
#     the CSP forbids), so it is embedded in a JS module instead (scripts are `script-src 'self'`)
#     and handed to wasm-bindgen's init as a Response. The .wasm file and its preload are removed.
#     Embedded gzipped, then base64: base64 of the raw wasm hides its byte patterns from the
#     server's gzip (2.1 MB, 830 KB gzipped), base64 of gzip is no bigger gzipped than the .wasm
#     itself and a third of the raw size. The page inflates it with DecompressionStream (Chromium
#     80+, Firefox 113+, Safari 16.4+), streamed into WebAssembly.instantiateStreaming.
#     The gzip is written by zopfli (Debian package, installed by scripts/app-setup.sh): the same
#     gzip format, 4% smaller than zlib's -9 (24 KB on the app), deterministic, about 5 s.
#     Without it the build falls back to zlib -9 and says so.
#  2. Each Kubernetes schema of core/schemas/ becomes a script asset, schemas/kube-<version>.js,
#     that leaves its text in `globalThis.kubeplaySchemas[version]`: the page loads the one chosen
#     as a script (app/src/schemas.rs), since it may not fetch.
#  3. The Helm chart's files become one script asset, chart.js, that leaves them in
#     `globalThis.kubeplayChart` as [path, content] pairs in the order of core/src/chart.rs's
#     FILES (so the page's tar is the CLI's, byte for byte): loaded on the chart download's click.
#  4. The sha256 of each inline <script> Trunk wrote replaces 'TRUNK_LOADER_HASH' in the CSP
#     meta tag. A hash, not a nonce: the page is static, and a fixed nonce protects nothing.
set -eu
staging="${TRUNK_STAGING_DIR:?run by trunk}"
python3 - "$staging" <<'PY'
import base64, gzip, hashlib, json, os, re, shutil, subprocess, sys
staging = sys.argv[1]
html_path = os.path.join(staging, "index.html")
html = open(html_path, encoding="utf-8").read()

def fail(message):
    sys.exit("app-postbuild.sh: " + message)

init = re.search(r"""module_or_path:\s*[`'"]/?([^`'"]+_bg\.wasm)[`'"]""", html)
if not init:
    fail("no `module_or_path: '<name>_bg.wasm'` in the loader of " + html_path)
wasm_name = init.group(1)
wasm_path = os.path.join(staging, wasm_name)
wasm = open(wasm_path, "rb").read()
module_name = wasm_name[: -len(".wasm")] + ".wasm.js"
# The same wasm gives the same module, byte for byte (and the same file hash): zopfli is
# deterministic and writes mtime 0, as does gzip.compress with mtime=0.
if shutil.which("zopfli"):
    gz = subprocess.run(["zopfli", "--gzip", "-c", wasm_path], check=True, stdout=subprocess.PIPE).stdout
    if gzip.decompress(gz) != wasm:
        fail("zopfli's gzip does not inflate back to " + wasm_path)
else:
    print("app-postbuild.sh: zopfli not found (scripts/app-setup.sh installs it); "
          "gzip -9 instead, about 4% bigger", file=sys.stderr)
    gz = gzip.compress(wasm, compresslevel=9, mtime=0)
encoded = base64.b64encode(gz).decode("ascii")
with open(os.path.join(staging, module_name), "w", encoding="ascii") as out:
    out.write("// The app's WebAssembly, gzipped and embedded: the page's CSP allows no fetch (connect-src 'none').\n")
    out.write('const b64 = "%s";\n' % encoded)
    out.write("const gz = Uint8Array.fromBase64 ? Uint8Array.fromBase64(b64) : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));\n")
    # A Response made here, not fetched: no connection. Its type lets wasm-bindgen compile it
    # while it inflates.
    out.write('export default new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")), { headers: { "Content-Type": "application/wasm" } });\n')
os.remove(wasm_path)

html = html.replace(init.group(0), "module_or_path:wasmResponse")
html = re.sub(r"(<script type=\"?module\"?[^>]*>)", lambda m: m.group(1) + 'import wasmResponse from"/%s";' % module_name, html, count=1)
html, removed = re.subn(r"<link[^>]*_bg\.wasm[^>]*>", "", html)
if removed != 1:
    fail("expected one wasm preload link, found %d" % removed)

source_dir = os.environ.get("TRUNK_SOURCE_DIR", os.getcwd())
schemas_in = os.path.join(source_dir, "core", "schemas")
schemas_out = os.path.join(staging, "schemas")
os.makedirs(schemas_out, exist_ok=True)
written = 0
for name in sorted(os.listdir(schemas_in)):
    version = re.fullmatch(r"kube-(\d+\.\d+)\.json", name)
    if not version:
        continue
    text = open(os.path.join(schemas_in, name), encoding="utf-8").read()
    json.loads(text)
    with open(os.path.join(schemas_out, "kube-%s.js" % version.group(1)), "w", encoding="utf-8") as out:
        out.write("// The Kubernetes %s API schema kubeplay validates against: core/schemas/%s, made from\n" % (version.group(1), name))
        out.write("// kubernetes-validate's JSON Schemas (Apache-2.0) by scripts/gen-kube-schemas.py.\n")
        out.write("globalThis.kubeplaySchemas = globalThis.kubeplaySchemas || {};\n")
        out.write("globalThis.kubeplaySchemas[%s] = %s;\n" % (json.dumps(version.group(1)), json.dumps(text)))
    written += 1
if written == 0:
    fail("no kube-<version>.json in " + schemas_in)

chart_list = open(os.path.join(source_dir, "core", "src", "chart.rs"), encoding="utf-8").read()
chart_files = re.findall(r'include_str!\("\.\./\.\./deploy/chart/([^"]+)"\)', chart_list)
if not chart_files:
    fail("no include_str!(\"../../deploy/chart/...\") in core/src/chart.rs")
chart = [[path, open(os.path.join(source_dir, "deploy", "chart", path), encoding="utf-8").read()] for path in chart_files]
with open(os.path.join(staging, "chart.js"), "w", encoding="utf-8") as out:
    out.write("// kubeplay's Helm chart (deploy/chart/), as [path, content] in core/src/chart.rs's order: the page packs it on download.\n")
    out.write("globalThis.kubeplayChart = %s;\n" % json.dumps(chart))

scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
if not scripts:
    fail("no inline script found in " + html_path)
if "'TRUNK_LOADER_HASH'" not in html:
    fail("the CSP placeholder 'TRUNK_LOADER_HASH' is missing from " + html_path)
hashes = " ".join("'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts)
open(html_path, "w", encoding="utf-8").write(html.replace("'TRUNK_LOADER_HASH'", hashes))
PY
