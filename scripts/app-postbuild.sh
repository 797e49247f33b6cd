#!/bin/sh
# Trunk post_build hook: make the built page work under `connect-src 'none'`.
#  1. The wasm would be fetched (fetch() and <link rel=preload as=fetch> are connections, which
#     the CSP forbids), so it is embedded in a JS module instead (scripts are `script-src 'self'`)
#     and handed to wasm-bindgen's init as bytes. The .wasm file and its preload are removed.
#  2. The sha256 of each inline <script> Trunk wrote replaces 'TRUNK_LOADER_HASH' in the CSP
#     meta tag. A hash, not a nonce: the page is static, and a fixed nonce protects nothing.
set -eu
staging="${TRUNK_STAGING_DIR:?run by trunk}"
python3 - "$staging" <<'PY'
import base64, hashlib, os, re, sys
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
encoded = base64.b64encode(wasm).decode("ascii")
with open(os.path.join(staging, module_name), "w", encoding="ascii") as out:
    out.write("// The app's WebAssembly, embedded: the page's CSP allows no fetch (connect-src 'none').\n")
    out.write('const b64 = "%s";\n' % encoded)
    out.write("export default Uint8Array.fromBase64 ? Uint8Array.fromBase64(b64) : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));\n")
os.remove(wasm_path)

html = html.replace(init.group(0), "module_or_path:wasmBytes")
html = re.sub(r"(<script type=\"?module\"?[^>]*>)", lambda m: m.group(1) + 'import wasmBytes from"/%s";' % module_name, html, count=1)
html, removed = re.subn(r"<link[^>]*_bg\.wasm[^>]*>", "", html)
if removed != 1:
    fail("expected one wasm preload link, found %d" % removed)

scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
if not scripts:
    fail("no inline script found in " + html_path)
if "'TRUNK_LOADER_HASH'" not in html:
    fail("the CSP placeholder 'TRUNK_LOADER_HASH' is missing from " + html_path)
hashes = " ".join("'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts)
open(html_path, "w", encoding="utf-8").write(html.replace("'TRUNK_LOADER_HASH'", hashes))
PY
