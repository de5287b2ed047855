"""Independent PyTorch reference for parts of the Seglight network (docs/NETWORK.md §3.3 and §3.6).

It implements, in plain PyTorch nn.Modules that follow the spec's pseudo-code line by line,

    Conv2Former  (§3.3 a)   image -> text tokens
    Former       (§3.3 b)   post-LN transformer block on the text tokens
    Former2Conv  (§3.3 d)   text tokens -> image
    Semantic FPN neck (§3.6)
    FPN head          (§3.6, eval mode: BatchNorm on running stats, Dropout2d off)

and writes small safetensors fixtures (fixed random weights, the inputs and the reference outputs) to
src/test/resources/reference/. ReferenceTest (Java) loads them into the DJL modules and requires the outputs
to match to 1e-4.

PyTorch is never a runtime or test dependency of Seglight. It is used only to regenerate these fixture files,
with Debian's python3-torch, from the repository root:

    /usr/bin/python3 src/test/python/reference.py

Weights and inputs are drawn in float32 (the values stored in the fixtures); the reference itself is computed
in float64 on exactly those values and only the outputs are rounded to float32, so the reference carries no
rounding error of its own. After writing, the script reads every file back with its own safetensors reader and
checks it (layout, shapes, attention rows summing to 1, outputs reproduced from the file's own contents), and
cross-checks the attention modules against torch's built-in nn.MultiheadAttention / nn.TransformerEncoderLayer.
The `safetensors` package is not needed: the format is written and read here directly.
"""
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------------------------------------------------
# Fixture configuration
# ---------------------------------------------------------------------------------------------------------
SEED = 1234
B, C, H_B, H_F, K, H, W = 2, 64, 2, 4, 5, 4, 6      # fusion modules; N = H*W = 24
EPS = 1e-5                                           # LayerNorm and BatchNorm eps
NECK_IN = [8, 12, 16, 20]                            # neck input channels (levels 0..3)
NECK_C = 16                                          # neck output channels = head channels
SIZES = [(16, 24), (8, 12), (4, 6), (2, 3)]          # (H, W) of levels 0..3 (strides 4, 8, 16, 32)
HEAD_C, HEAD_K = 16, 5                               # head channels, number of classes
FC_STD = 0.2                                         # std of every Linear weight
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "reference")


# ---------------------------------------------------------------------------------------------------------
# safetensors, written and read by hand
# ---------------------------------------------------------------------------------------------------------
def write_safetensors(path, tensors, metadata):
    """u64 little-endian header length n; n bytes of JSON header (space-padded to a multiple of 8);
    then the raw little-endian float32 data of every tensor, in header order, offsets relative to the
    start of the data block."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name, t in tensors.items():
        raw = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """Own minimal reader: returns ({name: float32 tensor}, metadata), checking the layout strictly."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    assert n % 8 == 0, "header not padded to 8"
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = buf[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors, expected_begin = {}, 0
    for name, info in header.items():          # JSON object order = write order
        assert info["dtype"] == "F32", name
        begin, end = info["data_offsets"]
        assert begin == expected_begin, "gap or overlap before " + name
        count = math.prod(info["shape"])
        assert end - begin == 4 * count, "size mismatch for " + name
        arr = np.frombuffer(data[begin:end], dtype="<f4").copy()
        tensors[name] = torch.from_numpy(arr).reshape(info["shape"])
        expected_begin = end
    assert expected_begin == len(data), "trailing bytes"
    return tensors, meta


# ---------------------------------------------------------------------------------------------------------
# §3.3 (a) Conv2Former: image -> text tokens
# ---------------------------------------------------------------------------------------------------------
class Conv2Former(nn.Module):
    """Q projected from the tokens, raw pixels used as K = V, output projection, post-LN."""

    def __init__(self, c, heads, eps):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(c, c)
        self.o = nn.Linear(c, c)
        self.ln = nn.LayerNorm(c, eps=eps)

    def forward(self, I, T):
        b, c, h, w = I.shape
        k, n, hb = T.shape[1], h * w, self.heads
        d = c // hb
        Xh = I.reshape(b, hb, d, n)                                          # B x hb x d x N
        Q = self.q(T).reshape(b, k, hb, d).permute(0, 2, 1, 3)              # B x hb x K x d
        A = torch.softmax(Q @ Xh / math.sqrt(d), dim=-1)                     # B x hb x K x N
        Z = (A @ Xh.transpose(-1, -2)).permute(0, 2, 1, 3).reshape(b, k, c)  # B x K x C
        T = self.ln(T + self.o(Z))
        return T, A


# ---------------------------------------------------------------------------------------------------------
# §3.3 (b) Former: standard post-LN transformer block on the K tokens
# ---------------------------------------------------------------------------------------------------------
class MHSA(nn.Module):
    """Multi-head self-attention, separate q, k, v, o (C x C, bias); head = contiguous channel group of the
    projected vectors; scale 1/sqrt(C/heads); no mask, no positional encoding."""

    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(c, c) for _ in range(4))

    def forward(self, T):
        b, k, c = T.shape
        hf = self.heads
        d = c // hf
        q = self.q(T).reshape(b, k, hf, d).permute(0, 2, 1, 3)              # B x hf x K x d
        kk = self.k(T).reshape(b, k, hf, d).permute(0, 2, 1, 3)             # B x hf x K x d
        v = self.v(T).reshape(b, k, hf, d).permute(0, 2, 1, 3)              # B x hf x K x d
        A = torch.softmax(q @ kk.transpose(-1, -2) / math.sqrt(d), dim=-1)   # B x hf x K x K
        Z = (A @ v).permute(0, 2, 1, 3).reshape(b, k, c)                     # B x K x C
        return self.o(Z)


class FFN(nn.Module):
    def __init__(self, c, ratio=2):
        super().__init__()
        self.fc1 = nn.Linear(c, ratio * c)
        self.fc2 = nn.Linear(ratio * c, c)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))                                 # exact (erf) GELU


class Former(nn.Module):
    def __init__(self, c, heads, eps):
        super().__init__()
        self.attn = MHSA(c, heads)
        self.ln1 = nn.LayerNorm(c, eps=eps)
        self.ffn = FFN(c, 2)
        self.ln2 = nn.LayerNorm(c, eps=eps)

    def forward(self, T):
        T = self.ln1(T + self.attn(T))
        T = self.ln2(T + self.ffn(T))
        return T


# ---------------------------------------------------------------------------------------------------------
# §3.3 (d) Former2Conv: text tokens -> pixels
# ---------------------------------------------------------------------------------------------------------
class Former2Conv(nn.Module):
    """Raw pixels as Q, K and V projected from the tokens, no output projection, no norm, plain residual."""

    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.k = nn.Linear(c, c)
        self.v = nn.Linear(c, c)

    def forward(self, I, T):
        b, c, h, w = I.shape
        k, n, hb = T.shape[1], h * w, self.heads
        d = c // hb
        Qp = I.reshape(b, hb, d, n).transpose(-1, -2)                        # B x hb x N x d
        Kt = self.k(T).reshape(b, k, hb, d).permute(0, 2, 3, 1)             # B x hb x d x K
        Vt = self.v(T).reshape(b, k, hb, d).permute(0, 2, 1, 3)             # B x hb x K x d
        A = torch.softmax(Qp @ Kt / math.sqrt(d), dim=-1)                    # B x hb x N x K
        I = I + (A @ Vt).transpose(-1, -2).reshape(b, c, h, w)               # B x hb x d x N -> B x C x H x W
        return I, A


# ---------------------------------------------------------------------------------------------------------
# §3.6 Semantic FPN neck (norm_cfg=None: every conv has a bias, no norm, no activation)
# ---------------------------------------------------------------------------------------------------------
class FpnNeck(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(ci, out_channels, 1) for ci in in_channels)
        self.fpn = nn.ModuleList(nn.Conv2d(out_channels, out_channels, 3, padding=1) for _ in in_channels)

    def forward(self, feats):
        L = [conv(f) for conv, f in zip(self.lateral, feats)]
        for i in range(len(L) - 1, 0, -1):                                   # top-down, nearest, to the size
            L[i - 1] = L[i - 1] + F.interpolate(L[i], size=L[i - 1].shape[2:], mode="nearest")
        return [conv(l) for conv, l in zip(self.fpn, L)]


# ---------------------------------------------------------------------------------------------------------
# §3.6 FPN head
# ---------------------------------------------------------------------------------------------------------
class ConvModule(nn.Module):
    """Conv3x3 (no bias, pad 1) + BatchNorm2d + ReLU."""

    def __init__(self, cin, cout, eps):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=eps)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class FpnHead(nn.Module):
    def __init__(self, levels, in_channels, channels, classes, eps, dropout=0.1):
        super().__init__()
        # scale head 0: one ConvModule; scale head i > 0: i x (ConvModule, bilinear x2). Only the ConvModules
        # carry parameters, so scale_heads[i][j] is the j-th ConvModule of head i (upsampling is in forward).
        self.scale_heads = nn.ModuleList(
            nn.ModuleList(ConvModule(in_channels if j == 0 else channels, channels, eps) for j in range(max(1, i)))
            for i in range(levels))
        self.dropout = nn.Dropout2d(dropout)                                 # identity in eval()
        self.cls = nn.Conv2d(channels, classes, 1)

    def forward(self, ps):
        out = None
        for i, (head, x) in enumerate(zip(self.scale_heads, ps)):
            for cm in head:
                x = cm(x)
                if i > 0:
                    x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
            if out is None:
                out = x
            else:
                out = out + F.interpolate(x, size=out.shape[2:], mode="bilinear", align_corners=False)
        return self.cls(self.dropout(out))


# ---------------------------------------------------------------------------------------------------------
# Non-trivial random parameters (drawn in float32 under the global seed)
# ---------------------------------------------------------------------------------------------------------
@torch.no_grad()
def randomize(module):
    for m in module.modules():
        if isinstance(m, nn.Linear):
            m.weight.normal_(0.0, FC_STD)
            m.bias.normal_(0.0, 0.1)
        elif isinstance(m, nn.LayerNorm):
            m.weight.copy_(1 + 0.1 * torch.randn_like(m.weight))
            m.bias.copy_(0.1 * torch.randn_like(m.bias))
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.copy_(1 + 0.2 * torch.randn_like(m.weight))
            m.bias.copy_(0.1 * torch.randn_like(m.bias))
            m.running_mean.copy_(0.1 * torch.randn_like(m.running_mean))
            m.running_var.copy_(0.5 + torch.rand_like(m.running_var))     # uniform(0.5, 1.5)
        # nn.Conv2d keeps torch's default init (kaiming-uniform weight, uniform bias): non-zero biases.
    return module


def weights(module, prefix):
    """The module's parameters and BN running stats as float32, named prefix.<state_dict key>."""
    return {prefix + "." + k: v.detach().float().clone() for k, v in module.state_dict().items()
            if not k.endswith("num_batches_tracked")}


def run64(module, *inputs):
    """Evaluate a float32-initialised module in float64 on exactly the same values (float32 -> float64 is
    exact), without changing the module itself."""
    m64 = _copy(module).double().eval()
    with torch.no_grad():
        return m64(*[_to64(x) for x in inputs])


def _copy(module):
    import copy
    return copy.deepcopy(module)


def _to64(x):
    return [t.double() for t in x] if isinstance(x, (list, tuple)) else x.double()


def meta(**extra):
    base = {"seed": SEED, "torch": torch.__version__, "eps": EPS}
    base.update(extra)
    return base


# ---------------------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------------------
def make_fixtures():
    torch.manual_seed(SEED)
    os.makedirs(OUT_DIR, exist_ok=True)
    fusion_meta = meta(C=C, h_b=H_B, h_f=H_F, K=K, B=B, H=H, W=W)
    modules = {}

    c2f = randomize(Conv2Former(C, H_B, EPS))
    I, T = torch.randn(B, C, H, W), torch.randn(B, K, C)
    t_out, attn = run64(c2f, I, T)
    write_safetensors(os.path.join(OUT_DIR, "conv2former.safetensors"),
                      {**weights(c2f, "c2f"), "in.I": I, "in.T": T, "out.T": t_out, "out.attn": attn},
                      dict(fusion_meta, module="Conv2Former"))
    modules["conv2former"] = c2f

    former = randomize(Former(C, H_F, EPS))
    T = torch.randn(B, K, C)
    t_out = run64(former, T)
    write_safetensors(os.path.join(OUT_DIR, "former.safetensors"),
                      {**weights(former, "former"), "in.T": T, "out.T": t_out},
                      dict(fusion_meta, module="Former", ffn_ratio=2))
    modules["former"] = former

    f2c = randomize(Former2Conv(C, H_B))
    I, T = torch.randn(B, C, H, W), torch.randn(B, K, C)
    i_out, attn = run64(f2c, I, T)
    write_safetensors(os.path.join(OUT_DIR, "former2conv.safetensors"),
                      {**weights(f2c, "f2c"), "in.I": I, "in.T": T, "out.I": i_out, "out.attn": attn},
                      dict(fusion_meta, module="Former2Conv"))
    modules["former2conv"] = f2c

    neck = randomize(FpnNeck(NECK_IN, NECK_C))
    feats = [torch.randn(B, ci, h, w) for ci, (h, w) in zip(NECK_IN, SIZES)]
    outs = run64(neck, feats)
    write_safetensors(os.path.join(OUT_DIR, "fpn_neck.safetensors"),
                      {**weights(neck, "neck"), **{"in.f%d" % i: f for i, f in enumerate(feats)},
                       **{"out.p%d" % i: o for i, o in enumerate(outs)}},
                      meta(module="FpnNeck", B=B, in_channels=NECK_IN, out_channels=NECK_C, sizes=SIZES))
    modules["fpn_neck"] = neck

    head = randomize(FpnHead(4, NECK_C, HEAD_C, HEAD_K, EPS))
    ps = [torch.randn(B, NECK_C, h, w) for (h, w) in SIZES]
    logits = run64(head, ps)
    write_safetensors(os.path.join(OUT_DIR, "fpn_head.safetensors"),
                      {**weights(head, "head"), **{"in.p%d" % i: p for i, p in enumerate(ps)},
                       "out.logits": logits},
                      meta(module="FpnHead", B=B, channels=HEAD_C, K=HEAD_K, sizes=SIZES))
    modules["fpn_head"] = head
    return modules


# ---------------------------------------------------------------------------------------------------------
# Verification: read the files back and check them
# ---------------------------------------------------------------------------------------------------------
def _load_module(module, tensors, prefix):
    """A float64 copy of `module` whose parameters come from the file (float32 values)."""
    m = _copy(module).double().eval()
    sd = m.state_dict()
    names = {k for k in tensors if k.startswith(prefix + ".")}
    expected = {prefix + "." + k for k in sd if not k.endswith("num_batches_tracked")}
    assert names == expected, (sorted(names ^ expected))
    for k in sd:
        if not k.endswith("num_batches_tracked"):
            sd[k] = tensors[prefix + "." + k].double()
    m.load_state_dict(sd)
    return m


def _close(name, actual, expected, tol=1e-6):
    diff = (actual.float() - expected).abs().max().item()
    assert diff <= tol * max(1.0, expected.abs().max().item()), "%s differs by %g" % (name, diff)


def _mha(embed, heads, wq, bq, wk, bk, wv, bv, wo, bo):
    """torch's nn.MultiheadAttention with the given projections (float64, batch_first)."""
    mha = nn.MultiheadAttention(embed, heads, batch_first=True, dtype=torch.float64).eval()
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([wq, wk, wv]))
        mha.in_proj_bias.copy_(torch.cat([bq, bk, bv]))
        mha.out_proj.weight.copy_(wo)
        mha.out_proj.bias.copy_(bo)
    return mha


def verify(modules):
    eye, zero = torch.eye(C, dtype=torch.float64), torch.zeros(C, dtype=torch.float64)
    report = {}
    for name in ["conv2former", "former", "former2conv", "fpn_neck", "fpn_head"]:
        path = os.path.join(OUT_DIR, name + ".safetensors")
        t, md = read_safetensors(path)
        report[name] = (os.path.getsize(path), [(k, list(v.shape)) for k, v in t.items()], md)
        assert md["seed"] == str(SEED) and md["torch"] == torch.__version__
        d = {k: v.double() for k, v in t.items()}

        if name == "conv2former":
            assert list(t["out.T"].shape) == [B, K, C] and list(t["out.attn"].shape) == [B, H_B, K, H * W]
            _close("c2f rows", t["out.attn"].sum(-1), torch.ones(B, H_B, K))
            m = _load_module(modules[name], t, "c2f")
            with torch.no_grad():
                t_out, a = m(d["in.I"], d["in.T"])
                _close("out.T", t_out, t["out.T"]); _close("out.attn", a, t["out.attn"])
                # cross-check with torch's MHA: query = tokens (W_q), key = value = raw pixels (identity
                # projections), out_proj = o; post-LN applied by hand.
                mha = _mha(C, H_B, d["c2f.q.weight"], d["c2f.q.bias"], eye, zero, eye, zero,
                           d["c2f.o.weight"], d["c2f.o.bias"])
                pix = d["in.I"].flatten(2).transpose(1, 2)                                   # B x N x C
                z, a2 = mha(d["in.T"], pix, pix, need_weights=True, average_attn_weights=False)
                t2 = F.layer_norm(d["in.T"] + z, (C,), d["c2f.ln.weight"], d["c2f.ln.bias"], EPS)
                _close("c2f vs MHA attn", a2, t["out.attn"]); _close("c2f vs MHA T", t2, t["out.T"])

        elif name == "former":
            assert list(t["out.T"].shape) == [B, K, C]
            m = _load_module(modules[name], t, "former")
            with torch.no_grad():
                _close("out.T", m(d["in.T"]), t["out.T"])
                # cross-check with nn.TransformerEncoderLayer (post-LN, exact GELU, dim_feedforward 2C).
                enc = nn.TransformerEncoderLayer(C, H_F, 2 * C, dropout=0.0, activation="gelu",
                                                 layer_norm_eps=EPS, batch_first=True, norm_first=False,
                                                 dtype=torch.float64).eval()
                sa = enc.self_attn
                sa.in_proj_weight.copy_(torch.cat([d["former.attn.%s.weight" % x] for x in "qkv"]))
                sa.in_proj_bias.copy_(torch.cat([d["former.attn.%s.bias" % x] for x in "qkv"]))
                sa.out_proj.weight.copy_(d["former.attn.o.weight"]); sa.out_proj.bias.copy_(d["former.attn.o.bias"])
                for dst, src in [(enc.linear1, "ffn.fc1"), (enc.linear2, "ffn.fc2"),
                                 (enc.norm1, "ln1"), (enc.norm2, "ln2")]:
                    dst.weight.copy_(d["former.%s.weight" % src]); dst.bias.copy_(d["former.%s.bias" % src])
                _close("former vs TransformerEncoderLayer", enc(d["in.T"]), t["out.T"])

        elif name == "former2conv":
            assert list(t["out.I"].shape) == [B, C, H, W] and list(t["out.attn"].shape) == [B, H_B, H * W, K]
            _close("f2c rows", t["out.attn"].sum(-1), torch.ones(B, H_B, H * W))
            m = _load_module(modules[name], t, "f2c")
            with torch.no_grad():
                i_out, a = m(d["in.I"], d["in.T"])
                _close("out.I", i_out, t["out.I"]); _close("out.attn", a, t["out.attn"])
                # cross-check with torch's MHA: query = raw pixels (identity), key = W_k T, value = W_v T,
                # no output projection (identity); plain residual.
                mha = _mha(C, H_B, eye, zero, d["f2c.k.weight"], d["f2c.k.bias"], d["f2c.v.weight"],
                           d["f2c.v.bias"], eye, zero)
                pix = d["in.I"].flatten(2).transpose(1, 2)                                   # B x N x C
                z, a2 = mha(pix, d["in.T"], d["in.T"], need_weights=True, average_attn_weights=False)
                i2 = d["in.I"] + z.transpose(1, 2).reshape(B, C, H, W)
                _close("f2c vs MHA attn", a2, t["out.attn"]); _close("f2c vs MHA I", i2, t["out.I"])

        elif name == "fpn_neck":
            for i, (h, w) in enumerate(SIZES):
                assert list(t["in.f%d" % i].shape) == [B, NECK_IN[i], h, w]
                assert list(t["out.p%d" % i].shape) == [B, NECK_C, h, w]
            m = _load_module(modules[name], t, "neck")
            with torch.no_grad():
                outs = m([d["in.f%d" % i] for i in range(4)])
            for i in range(4):
                _close("out.p%d" % i, outs[i], t["out.p%d" % i])

        elif name == "fpn_head":
            assert list(t["out.logits"].shape) == [B, HEAD_K] + list(SIZES[0])
            m = _load_module(modules[name], t, "head")
            with torch.no_grad():
                _close("out.logits", m([d["in.p%d" % i] for i in range(4)]), t["out.logits"])
                # cross-check: the same head written mmseg-style, scale heads as nn.Sequential with
                # nn.Upsample modules, BN as nn.functional.batch_norm on the running stats.
                out = None
                for i in range(4):
                    layers = []
                    for j in range(max(1, i)):
                        pre = "head.scale_heads.%d.%d." % (i, j)
                        conv = nn.Conv2d(HEAD_C, HEAD_C, 3, padding=1, bias=False, dtype=torch.float64)
                        conv.weight.copy_(d[pre + "conv.weight"])
                        bn = nn.BatchNorm2d(HEAD_C, eps=EPS, dtype=torch.float64).eval()
                        for s in ["weight", "bias", "running_mean", "running_var"]:
                            getattr(bn, s).copy_(d[pre + "bn." + s])
                        layers += [conv, bn, nn.ReLU()]
                        if i > 0:
                            layers.append(nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False))
                    x = nn.Sequential(*layers).eval()(d["in.p%d" % i])
                    out = x if out is None else out + F.interpolate(x, out.shape[2:], mode="bilinear",
                                                                     align_corners=False)
                logits = F.conv2d(out, d["head.cls.weight"], d["head.cls.bias"])
                _close("head vs Sequential", logits, t["out.logits"])
    return report


def main():
    modules = make_fixtures()
    report = verify(modules)
    total = 0
    for name, (size, shapes, md) in report.items():
        total += size
        print("%s.safetensors  %d bytes  metadata=%s" % (name, size, md))
        for k, s in shapes:
            print("    %-40s %s" % (k, s))
    print("total %d bytes; all checks passed" % total)


if __name__ == "__main__":
    main()
