"""PyTorch side of `npm run bench:torch`: a line server the Node benchmark drives, so that torch
and our layers are timed interleaved in one run, with the same thread count.

Layers, written here from the published formulas (no package needed besides torch):
- conv2d: torch.nn.functional.conv2d of the same shape (padding 1);
- convkan: efficient-kan's KANLinear applied to every patch, as the `convkan` package does, in
  the exact basis-then-conv form: pad x first, expand every value into [SiLU(x), B_0 .. B_{K-1}]
  (efficient-kan's b_splines, Cox-de Boor from the order-0 indicators), one grouped conv2d
  'valid' with the filter assembled from base_weight, spline_weight * spline_scaler;
- kacn: torch-conv-kan's KACNConv2DLayer poly branch: tanh, acos, cos(k*acos) for k = 0..degree,
  conv2d with zero padding 1 (no norm, no dropout);
- convkan_unfold (check only): convkan's own unfold + KANLinear form, to cross-check the above.

Protocol: one JSON object per stdin line, one JSON reply per stdout line.
  {"cmd": "info"}                                     -> {"torch": ver, "threads": n}
  {"cmd": "setup", "batch", "cin", "cout", "size", "groups", "grid", "order", "degree"}
  {"cmd": "time", "label", "phase": "forward"|"forward+backward", "batch"?} -> {"ms": wall ms}
  {"cmd": "convkan", "x": {shape, data} NCHW, "grid", "base_weight", "spline_weight",
   "spline_scaler" (torch layouts), "groups", "padding"} -> {"exact": {...}, "unfold": {...}}
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def b_splines(x, grid, order):
    """efficient-kan KANLinear.b_splines: x [..., F], grid [F, nk] -> [..., F, nk - 1 - order]."""
    x = x.unsqueeze(-1)
    bases = ((x >= grid[:, :-1]) & (x < grid[:, 1:])).to(x.dtype)
    for k in range(1, order + 1):
        bases = (x - grid[:, : -(k + 1)]) / (grid[:, k:-1] - grid[:, : -(k + 1)]) * bases[..., :-1] + (
            grid[:, k + 1:] - x
        ) / (grid[:, k + 1:] - grid[:, 1:(-k)]) * bases[..., 1:]
    return bases


def convkan_filter(base_weight, spline_weight, spline_scaler, cin_g, kh, kw):
    """torch layouts [G, Og, inDim(, K)] -> conv filter [G*Og, cin_g*(1+K), kh, kw], channel c*(1+K)+j."""
    g, og, _, nb = spline_weight.shape
    spline = spline_weight * spline_scaler.unsqueeze(-1)  # [G, Og, inDim, K]
    w = torch.cat([base_weight.unsqueeze(-1), spline], dim=-1)  # [G, Og, inDim, 1+K]
    w = w.reshape(g, og, cin_g, kh, kw, nb + 1).permute(0, 1, 2, 5, 3, 4)  # [G, Og, Cg, 1+K, kh, kw]
    return w.reshape(g * og, cin_g * (nb + 1), kh, kw)


def convkan_exact(x, grid, base_weight, spline_weight, spline_scaler, groups, padding, order):
    """x NCHW. grid [G, inDim, nk] with every kernel tap of a channel on the same knots (the initial grid)."""
    n, cin, _, _ = x.shape
    g, og, in_dim, nb = spline_weight.shape
    kk = in_dim * g // cin
    kh = kw = int(round(kk ** 0.5))
    knots = grid.reshape(cin, kk, -1)[:, 0, :]  # [Cin, nk]: tap (0, 0)
    xp = F.pad(x, (padding, padding, padding, padding))  # pad before the basis: B(0) != 0
    xl = xp.permute(0, 2, 3, 1)  # [N, Hp, Wp, C]
    e = torch.cat([F.silu(xl).unsqueeze(-1), b_splines(xl, knots, order)], dim=-1)  # [N, Hp, Wp, C, 1+K]
    e = e.reshape(n, xp.shape[2], xp.shape[3], cin * (nb + 1)).permute(0, 3, 1, 2)
    w = convkan_filter(base_weight, spline_weight, spline_scaler, cin // groups, kh, kw)
    return F.conv2d(e, w, groups=groups)


def convkan_unfold(x, grid, base_weight, spline_weight, spline_scaler, groups, padding, order):
    """convkan's form: unfold patches, then efficient-kan's KANLinear per group."""
    n, cin, h, w_ = x.shape
    g, og, in_dim, nb = spline_weight.shape
    kk = in_dim * g // cin
    k = int(round(kk ** 0.5))
    p = F.unfold(x, k, padding=padding)  # [N, Cin*k*k, L]
    L = p.shape[-1]
    p = p.reshape(n, g, in_dim, L).permute(1, 0, 3, 2).reshape(g, n * L, in_dim)
    outs = []
    for gi in range(g):
        xi = p[gi]
        base = F.linear(F.silu(xi), base_weight[gi])
        sw = (spline_weight[gi] * spline_scaler[gi].unsqueeze(-1)).reshape(og, -1)
        spl = F.linear(b_splines(xi, grid[gi], order).reshape(xi.shape[0], -1), sw)
        outs.append((base + spl).reshape(n, L, og))
    y = torch.cat(outs, dim=-1).permute(0, 2, 1)
    ho = h + 2 * padding - k + 1
    return y.reshape(n, g * og, ho, w_ + 2 * padding - k + 1)


def uniform_grid(features, grid_size, order, lo=-1.0, hi=1.0):
    h = (hi - lo) / grid_size
    knots = torch.arange(-order, grid_size + order + 1, dtype=torch.float32) * h + lo
    return knots.expand(features, -1).contiguous()


def kacn(x, weight, degree):
    """torch-conv-kan KACN poly branch: cos(k * acos(tanh(x))), k = 0..degree, then conv2d padding 1."""
    t = torch.tanh(x).acos().unsqueeze(2)  # [N, C, 1, H, W]
    ar = torch.arange(0, degree + 1, dtype=x.dtype).view(1, 1, -1, 1, 1)
    e = (t * ar).flatten(1, 2).cos()
    return F.conv2d(e, weight, padding=1, groups=STATE["groups"])


STATE = {}


def setup(m):
    torch.manual_seed(0)
    b, cin, cout, size, g = m["batch"], m["cin"], m["cout"], m["size"], m["groups"]
    grid_size, order, degree = m["grid"], m["order"], m["degree"]
    nb = grid_size + order
    in_dim = cin // g * 9
    p = lambda *s: (torch.randn(*s) * 0.1).requires_grad_(True)
    STATE.clear()
    STATE.update(
        groups=g,
        order=order,
        degree=degree,
        shape=(cin, size),
        x=(torch.randn(b, cin, size, size) * 0.7).requires_grad_(True),
        conv_w=p(cout, cin // g, 3, 3),
        grid=uniform_grid(cin * 9, grid_size, order).reshape(g, in_dim, -1),
        base=p(g, cout // g, in_dim),
        spline=p(g, cout // g, in_dim, nb),
        scaler=p(g, cout // g, in_dim),
        kacn_w=p(cout, cin // g * (degree + 1), 3, 3),
    )


def forward(label, x):
    s = STATE
    if label == "conv2d":
        return F.conv2d(x, s["conv_w"], padding=1, groups=s["groups"]), [x, s["conv_w"]]
    if label == "convkan":
        y = convkan_exact(x, s["grid"], s["base"], s["spline"], s["scaler"], s["groups"], 1, s["order"])
        return y, [x, s["base"], s["spline"], s["scaler"]]
    if label == "kacn":
        return kacn(x, s["kacn_w"], s["degree"]), [x, s["kacn_w"]]
    raise ValueError(f"unknown label {label!r}; expected conv2d, convkan or kacn")


def time_once(m):
    x = STATE["x"]
    if m.get("batch") and m["batch"] != x.shape[0]:
        x = x[: m["batch"]].detach().clone().requires_grad_(True)
    t0 = time.perf_counter()
    if m["phase"] == "forward":
        with torch.no_grad():
            forward(m["label"], x)
    else:
        y, params = forward(m["label"], x)
        torch.autograd.grad((y * y).mean(), params)  # loss = mean(y^2), as the Node side
    return (time.perf_counter() - t0) * 1000.0


def tensor(d):
    return torch.tensor(d["data"], dtype=torch.float32).reshape(d["shape"])


def plain(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def check(m):
    args = [tensor(m[k]) for k in ("x", "grid", "base_weight", "spline_weight", "spline_scaler")]
    with torch.no_grad():
        exact = convkan_exact(*args, m["groups"], m["padding"], m["order"])
        unfold = convkan_unfold(*args, m["groups"], m["padding"], m["order"])
    return {"exact": plain(exact), "unfold": plain(unfold)}


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    for line in sys.stdin:
        if not line.strip():
            continue
        m = json.loads(line)
        try:
            cmd = m["cmd"]
            if cmd == "info":
                r = {"torch": torch.__version__, "threads": torch.get_num_threads()}
            elif cmd == "setup":
                setup(m)
                r = {"ok": True}
            elif cmd == "time":
                r = {"ms": time_once(m)}
            elif cmd == "convkan":
                r = check(m)
            else:
                raise ValueError(f"unknown cmd {cmd!r}")
        except Exception as e:  # reported to Node, which throws with the message
            r = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(r) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
