"""PyTorch side of the safetensors bridge test (Debian python3-torch; no other packages).

The modules are written here from their published formulas: efficient-kan's KANLinear, convkan's
ConvKAN (unfold + KANLinear, held as `kan_layer`), torch-conv-kan's FastKANConv2DLayer with an
identity norm (base_conv / spline_conv per group, rbf.grid). The safetensors file layout is
written and read by hand with struct + json, as its specification documents it.

  torch_bridge.py write DIR   seeded model -> DIR/torch_model.safetensors, DIR/torch_io.safetensors
  torch_bridge.py check DIR   DIR/ours_model.safetensors into the model, run DIR/ours_io.safetensors' x,
                              compare with its y; prints the max abs difference, exit 1 above 1e-4
"""
import json
import struct
import sys

import torch
import torch.nn.functional as F


def save_safetensors(tensors, path):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        buf = bytearray(raw[8 + n + begin:8 + n + end])
        out[name] = torch.frombuffer(buf, dtype=torch.float32).reshape(info["shape"]).clone()
    return out


class KANLinear(torch.nn.Module):
    """efficient-kan: y = W_b·SiLU(x) + (W_s ⊙ scaler)·B(x), B the order-k B-spline bases on `grid`."""

    def __init__(self, in_features, out_features, grid_size=5, spline_order=3, grid_range=(-1, 1)):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.grid_size, self.spline_order = grid_size, spline_order
        h = (grid_range[1] - grid_range[0]) / grid_size
        grid = torch.arange(-spline_order, grid_size + spline_order + 1) * h + grid_range[0]
        # A different, still increasing, grid per feature (as after update_grid), so its layout matters.
        scale = 1 + 0.1 * torch.rand(in_features, 1)
        self.register_buffer("grid", grid.expand(in_features, -1) * scale)
        self.base_weight = torch.nn.Parameter(torch.randn(out_features, in_features) * 0.5)
        self.spline_weight = torch.nn.Parameter(torch.randn(out_features, in_features, grid_size + spline_order) * 0.3)
        self.spline_scaler = torch.nn.Parameter(torch.rand(out_features, in_features) + 0.5)

    def b_splines(self, x):
        grid = self.grid
        x = x.unsqueeze(-1)
        bases = ((x >= grid[:, :-1]) & (x < grid[:, 1:])).to(x.dtype)
        for k in range(1, self.spline_order + 1):
            bases = ((x - grid[:, :-(k + 1)]) / (grid[:, k:-1] - grid[:, :-(k + 1)]) * bases[:, :, :-1]) + (
                (grid[:, k + 1:] - x) / (grid[:, k + 1:] - grid[:, 1:(-k)]) * bases[:, :, 1:])
        return bases

    def forward(self, x):
        base = F.linear(F.silu(x), self.base_weight)
        scaled = self.spline_weight * self.spline_scaler.unsqueeze(-1)
        spline = F.linear(self.b_splines(x).reshape(x.size(0), -1), scaled.reshape(self.out_features, -1))
        return base + spline


class ConvKAN2d(torch.nn.Module):
    """convkan: unfold the (padded) input into patches, apply one KANLinear to each patch."""

    def __init__(self, in_channels, out_channels, kernel_size, padding=0, **kan):
        super().__init__()
        self.kernel_size, self.padding, self.out_channels = kernel_size, padding, out_channels
        self.kan_layer = KANLinear(in_channels * kernel_size * kernel_size, out_channels, **kan)

    def forward(self, x):
        n, _, h, w = x.shape
        patches = F.unfold(x, self.kernel_size, padding=self.padding)  # (N, C·k·k, L)
        y = self.kan_layer(patches.transpose(1, 2).reshape(-1, patches.size(1)))  # (N·L, O)
        ho = h + 2 * self.padding - self.kernel_size + 1
        wo = w + 2 * self.padding - self.kernel_size + 1
        return y.reshape(n, ho * wo, self.out_channels).transpose(1, 2).reshape(n, self.out_channels, ho, wo)


class RadialBasisFunction(torch.nn.Module):
    def __init__(self, grid_min, grid_max, num_grids):
        super().__init__()
        self.grid = torch.nn.Parameter(torch.linspace(grid_min, grid_max, num_grids), requires_grad=False)
        self.denominator = (grid_max - grid_min) / (num_grids - 1)

    def forward(self, x):
        return torch.exp(-((x[..., None] - self.grid) / self.denominator) ** 2)


class FastKANConv2d(torch.nn.Module):
    """torch-conv-kan's FastKANConv2DLayer (no padding, identity norm): per group
    base_conv(SiLU(x)) + spline_conv(rbf(x) with channel c·K + k)."""

    def __init__(self, in_channels, out_channels, kernel_size, groups=1, grid_size=8, grid_range=(-2, 2)):
        super().__init__()
        self.groups, self.cg = groups, in_channels // groups
        og = out_channels // groups
        self.base_conv = torch.nn.ModuleList([torch.nn.Conv2d(self.cg, og, kernel_size, bias=False) for _ in range(groups)])
        self.spline_conv = torch.nn.ModuleList([torch.nn.Conv2d(grid_size * self.cg, og, kernel_size, bias=False) for _ in range(groups)])
        self.rbf = RadialBasisFunction(grid_range[0], grid_range[1], grid_size)

    def forward(self, x):
        out = []
        for g, xg in enumerate(torch.split(x, self.cg, dim=1)):
            basis = self.rbf(xg).moveaxis(-1, 2).flatten(1, 2)
            out.append(self.base_conv[g](F.silu(xg)) + self.spline_conv[g](basis))
        return torch.cat(out, dim=1)


def make_model():
    # Index 2 is the pooling (no weights), as nn.Sequential numbers its children.
    return torch.nn.Sequential(
        ConvKAN2d(2, 3, 3, padding=1, grid_size=4),
        FastKANConv2d(3, 4, 3, groups=1, grid_size=5),
        torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()),
        KANLinear(4, 3, grid_size=3),
        torch.nn.Linear(3, 2),
    )


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def main():
    command, folder = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    model = make_model()
    if command == "write":
        x = torch.rand(2, 2, 6, 6) * 2 - 1
        with torch.no_grad():
            y = model(x)
        save_safetensors(model.state_dict(), f"{folder}/torch_model.safetensors")
        save_safetensors({"x": nhwc(x), "y": y}, f"{folder}/torch_io.safetensors")
        print("wrote", len(model.state_dict()), "tensors")
    elif command == "check":
        state = load_safetensors(f"{folder}/ours_model.safetensors")
        model.load_state_dict(state, strict=True)
        io = load_safetensors(f"{folder}/ours_io.safetensors")
        with torch.no_grad():
            y = model(io["x"].permute(0, 3, 1, 2))
        diff = (y - io["y"]).abs().max().item()
        print(f"max abs difference {diff:.3g}")
        sys.exit(0 if diff <= 1e-4 else 1)


if __name__ == "__main__":
    main()
