"""Field paths as kubeplay's core writes them (`spec.ports[0].name`, `data["a.b"]`), for the
scripts that compare its findings with another tool's."""


def text(path):
    """A path (keys and list indexes) as core writes it."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif any(c in p for c in '.[]"') or not p:
            out += '["' + p.replace("\\", "\\\\").replace('"', '\\"') + '"]'
        else:
            out += ("." if out else "") + p
    return out
