"""Independent PyTorch reference for parts of the Seglight network (MODEL_SPEC §3.3 and §3.6).

Writes small safetensors fixtures (fixed random weights, inputs and the reference outputs) to
src/test/resources/reference/, which ReferenceTest compares with the DJL implementation to 1e-4.

PyTorch is never a runtime or test dependency of Seglight: it is only needed to regenerate these files,
with Debian's python3-torch:   /usr/bin/python3 src/test/python/reference.py   (from the repository root)

The reference is computed in float64 and stored as float32, so it carries no rounding error of its own.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

SEED = 1234
B, C, HB, HF, K, H, W = 2, 64, 2, 4, 5, 4, 6  # fusion modules: N = H*W = 24
NECK_IN, NECK_C = [8, 12, 16, 20], 16
SIZES = [(16, 24), (8, 12), (4, 6), (2, 3)]
EPS = 1e-5
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "reference")


def write_safetensors(path, tensors, metadata):
    """safetensors: u64 header length, JSON header (padded with spaces to 8 bytes), raw little-endian F32."""
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().flatten().tolist()
        raw = struct.pack("<%df" % len(data), *data)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    js = json.dumps(header).encode("utf-8")
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for raw in blobs:
            f.write(raw)


def linear(prefix, din, dout, params, std=0.2):
    params[prefix + ".weight"] = torch.randn(dout, din) * std
    params[prefix + ".bias"] = torch.randn(dout) * 0.1


def layer_norm(prefix, dim, params):
    params[prefix + ".weight"] = 1 + 0.1 * torch.randn(dim)
    params[prefix + ".bias"] = 0.1 * torch.randn(dim)


def lin(x, p, prefix):
    return F.linear(x, p[prefix + ".weight"].double(), p[prefix + ".bias"].double())


def ln(x, p, prefix):
    return F.layer_norm(x, (x.shape[-1],), p[prefix + ".weight"].double(), p[prefix + ".bias"].double(), EPS)


def conv2former(I, T, p):
    """(a) image -> text tokens: Q from the tokens, raw pixels as K = V, output projection, post-LN."""
    b, c, h, w = I.shape
    n, k, d = h * w, T.shape[1], c // HB
    xh = I.reshape(b, HB, d, n)                                               # B x h x d x N
    q = lin(T, p, "c2f.q").reshape(b, k, HB, d).permute(0, 2, 1, 3)          # B x h x K x d
    attn = torch.softmax(q @ xh / math.sqrt(d), dim=-1)                       # B x h x K x N
    z = (attn @ xh.transpose(-1, -2)).permute(0, 2, 1, 3).reshape(b, k, c)  # B x K x C
    return ln(T + lin(z, p, "c2f.o"), p, "c2f.ln"), attn


def former(T, p):
    """(b) post-LN transformer block: MHSA with W_q, W_k, W_v, W_o, then a GELU FFN."""
    b, k, c = T.shape
    d = c // HF
    q = lin(T, p, "former.attn.q").reshape(b, k, HF, d).transpose(1, 2)      # B x h x K x d
    kk = lin(T, p, "former.attn.k").reshape(b, k, HF, d).transpose(1, 2)
    v = lin(T, p, "former.attn.v").reshape(b, k, HF, d).transpose(1, 2)
    a = torch.softmax(q @ kk.transpose(-1, -2) / math.sqrt(d), dim=-1)        # B x h x K x K
    mixed = (a @ v).transpose(1, 2).reshape(b, k, c)
    T = ln(T + lin(mixed, p, "former.attn.o"), p, "former.ln1")
    ffn = lin(F.gelu(lin(T, p, "former.ffn.fc1")), p, "former.ffn.fc2")
    return ln(T + ffn, p, "former.ln2")


def former2conv(I, T, p):
    """(d) text -> pixels: raw pixels as Q, projected K and V from the tokens, plain residual."""
    b, c, h, w = I.shape
    n, k, d = h * w, T.shape[1], c // HB
    qp = I.reshape(b, HB, d, n).transpose(-1, -2)                             # B x h x N x d
    kt = lin(T, p, "f2c.k").reshape(b, k, HB, d).permute(0, 2, 3, 1)         # B x h x d x K
    vt = lin(T, p, "f2c.v").reshape(b, k, HB, d).permute(0, 2, 1, 3)         # B x h x K x d
    attn = torch.softmax(qp @ kt / math.sqrt(d), dim=-1)                      # B x h x N x K
    return I + (attn @ vt).transpose(-1, -2).reshape(b, c, h, w), attn


def fpn_neck(feats, p):
    lat = [F.conv2d(f, p["neck.lateral.%d.weight" % i].double(), p["neck.lateral.%d.bias" % i].double())
           for i, f in enumerate(feats)]
    for i in range(len(lat) - 1, 0, -1):
        lat[i - 1] = lat[i - 1] + F.interpolate(lat[i], size=lat[i - 1].shape[2:], mode="nearest")
    return [F.conv2d(l, p["neck.fpn.%d.weight" % i].double(), p["neck.fpn.%d.bias" % i].double(), padding=1)
            for i, l in enumerate(lat)]


def conv_module(x, p, prefix):
    y = F.conv2d(x, p[prefix + ".conv.weight"].double(), None, padding=1)
    y = F.batch_norm(y, p[prefix + ".bn.running_mean"].double(), p[prefix + ".bn.running_var"].double(),
                     p[prefix + ".bn.weight"].double(), p[prefix + ".bn.bias"].double(), False, 0.1, EPS)
    return F.relu(y)


def fpn_head(ps, p):
    out = None
    for i, x in enumerate(ps):
        for j in range(max(1, i)):
            x = conv_module(x, p, "head.scale_heads.%d.%d" % (i, j))
            if i > 0:
                x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        out = x if out is None else out + F.interpolate(x, size=out.shape[2:], mode="bilinear",
                                                         align_corners=False)
    return F.conv2d(out, p["head.cls.weight"].double(), p["head.cls.bias"].double())


def main():
    torch.manual_seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    meta = {"seed": str(SEED), "torch": torch.__version__, "C": str(C), "h_b": str(HB), "h_f": str(HF),
            "K": str(K), "eps": str(EPS)}
    d = lambda t: t.double()

    p = {}
    linear("c2f.q", C, C, p)
    linear("c2f.o", C, C, p)
    layer_norm("c2f.ln", C, p)
    I, T = torch.randn(B, C, H, W), torch.randn(B, K, C)
    t_out, attn = conv2former(d(I), d(T), p)
    write_safetensors(os.path.join(OUT, "conv2former.safetensors"),
                      {**p, "in.I": I, "in.T": T, "out.T": t_out, "out.attn": attn}, meta)

    p = {}
    for name in "qkvo":
        linear("former.attn." + name, C, C, p)
    layer_norm("former.ln1", C, p)
    linear("former.ffn.fc1", C, 2 * C, p)
    linear("former.ffn.fc2", 2 * C, C, p)
    layer_norm("former.ln2", C, p)
    T = torch.randn(B, K, C)
    write_safetensors(os.path.join(OUT, "former.safetensors"), {**p, "in.T": T, "out.T": former(d(T), p)}, meta)

    p = {}
    linear("f2c.k", C, C, p)
    linear("f2c.v", C, C, p)
    I, T = torch.randn(B, C, H, W), torch.randn(B, K, C)
    i_out, attn = former2conv(d(I), d(T), p)
    write_safetensors(os.path.join(OUT, "former2conv.safetensors"),
                      {**p, "in.I": I, "in.T": T, "out.I": i_out, "out.attn": attn}, meta)

    p = {}
    for i, cin in enumerate(NECK_IN):
        p["neck.lateral.%d.weight" % i] = torch.randn(NECK_C, cin, 1, 1) * 0.3
        p["neck.lateral.%d.bias" % i] = torch.randn(NECK_C) * 0.1
    for i in range(4):
        p["neck.fpn.%d.weight" % i] = torch.randn(NECK_C, NECK_C, 3, 3) * 0.1
        p["neck.fpn.%d.bias" % i] = torch.randn(NECK_C) * 0.1
    feats = [torch.randn(B, cin, h, w) for cin, (h, w) in zip(NECK_IN, SIZES)]
    outs = fpn_neck([d(f) for f in feats], p)
    write_safetensors(os.path.join(OUT, "fpn_neck.safetensors"),
                      {**p, **{"in.f%d" % i: f for i, f in enumerate(feats)},
                       **{"out.p%d" % i: o for i, o in enumerate(outs)}}, meta)

    p = {}
    for i in range(4):
        for j in range(max(1, i)):
            pre = "head.scale_heads.%d.%d" % (i, j)
            p[pre + ".conv.weight"] = torch.randn(NECK_C, NECK_C, 3, 3) * 0.1
            p[pre + ".bn.weight"] = 1 + 0.1 * torch.randn(NECK_C)
            p[pre + ".bn.bias"] = 0.1 * torch.randn(NECK_C)
            p[pre + ".bn.running_mean"] = 0.1 * torch.randn(NECK_C)
            p[pre + ".bn.running_var"] = 0.5 + torch.rand(NECK_C)
    p["head.cls.weight"] = torch.randn(K, NECK_C, 1, 1) * 0.2
    p["head.cls.bias"] = torch.randn(K) * 0.1
    ps = [torch.randn(B, NECK_C, h, w) for (h, w) in SIZES]
    write_safetensors(os.path.join(OUT, "fpn_head.safetensors"),
                      {**p, **{"in.p%d" % i: x for i, x in enumerate(ps)}, "out.logits": fpn_head([d(x) for x in ps], p)},
                      meta)
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)), "bytes")


if __name__ == "__main__":
    main()
