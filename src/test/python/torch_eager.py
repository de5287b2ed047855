"""PyTorch eager twin of the Seglight network, for checking the Java forward and for speed comparisons.

This builds the whole Seglight network of docs/NETWORK.md (MobileNetV2 encoder with its BatchNorms, the
1x1 image projection, the Conv-Former units with the outer residual, the score maps S0/S, the Semantic FPN
neck and head) as plain torch.nn modules in eval mode, loads a Seglight model file into it, and runs images
through it with the same preprocessing, windowing, stitching and argmax as the Java Segmenter
(src/main/java/org/seglight/inference/Segmenter.java, WindowPlan.java, ImageTensors.java).

It has two jobs:

  * `verify` checks that the Java forward is numerically the same network: it segments an image here and
    reports the pixel agreement of the argmax with the mask PNG that `seglight segment` wrote.
  * `bench` times the same work in PyTorch eager (full forward, the prompt-edit path with cached encoder
    features, and per-component times), so `seglight bench` can report DJL/PyTorch speed ratios measured
    in the same run (`--json` gives one machine-readable object).

The fusion, Former, FPN neck and head modules are imported from reference.py (verified against the Java
modules to 1e-4 by ReferenceTest); the encoder, the unit wiring, the dot-product ablation and the pipeline
are written here after the spec and the Java code.

PyTorch is never a runtime or test dependency of Seglight: this is a developer tool only. Run it with
Debian's python3-torch (CPU; NumPy and Pillow come with it) from the repository root:

    /usr/bin/python3 src/test/python/torch_eager.py info   --model models/default.seglight
    /usr/bin/python3 src/test/python/torch_eager.py verify --model models/default.seglight \\
        --image ../shared/data/camvid/val/images/0016E5_07959.jpg --mask /tmp/seg-java/masks/0016E5_07959.png
    /usr/bin/python3 src/test/python/torch_eager.py bench  --model models/default.seglight \\
        --sizes 480x360,1024x768 --runs 5 --threads 2 [--json]

where the mask comes from

    java -jar target/seglight.jar segment --model models/default.seglight --image IMG --out /tmp/seg-java

`--model` takes a `.seglight` file, or a plain safetensors file written by `seglight weights export`
together with `--config config.json` (the ModelConfig JSON) and, for the text variants, `--text` (a
safetensors file holding the (K, C) tensor `embeddings`, e.g. text_embeddings.safetensors from a model file).
"""
import argparse
import json
import math
import os
import statistics
import struct
import sys
import time
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import FFN, Conv2Former, Former, Former2Conv, FpnHead, FpnNeck  # noqa: E402

# ImageTensors.MEAN / STD (RGB, 0..255 scale)
MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)
STRIDE = 32
VARIANTS = ("fpn", "denseclip", "convformer", "convformer-dot")
# MobileNetV2 (t, c, n, s), and the features index after which C2, C3, C4, C5 are taken.
MNV2_SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                 (6, 320, 1, 1)]
MNV2_OUT_FEATURES = (3, 6, 13, 17)
MNV2_OUT_CHANNELS = (24, 32, 96, 320)


# ---------------------------------------------------------------------------------------------------------
# Model files
# ---------------------------------------------------------------------------------------------------------
def parse_safetensors(buf, what):
    """safetensors from bytes (the layout reference.read_safetensors checks): F32 tensors only."""
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = buf[8 + n:]
    meta = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise SystemExit("%s: tensor %s has dtype %s; only F32 is supported" % (what, name, info["dtype"]))
        begin, end = info["data_offsets"]
        if end - begin != 4 * math.prod(info["shape"]) or end > len(data):
            raise SystemExit("%s: tensor %s has a bad size or offset" % (what, name))
        arr = np.frombuffer(data[begin:end], dtype="<f4").copy()
        tensors[name] = torch.from_numpy(arr).reshape(info["shape"])
    return tensors, meta


def load_model_file(path, config_path=None, text_path=None):
    """Returns (config dict, weights {name: tensor}, text embeddings (K, C) or None, class names, entries)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            entries = {i.filename: z.read(i.filename) for i in z.infolist()}
        for required in ("config.json", "weights.safetensors"):
            if required not in entries:
                raise SystemExit("%s has no %s: not a Seglight model file" % (path, required))
        config = json.loads(entries["config.json"])
        weights, _ = parse_safetensors(entries["weights.safetensors"], "weights.safetensors")
        text = None
        if "text_embeddings.safetensors" in entries:
            emb, _ = parse_safetensors(entries["text_embeddings.safetensors"], "text_embeddings.safetensors")
            text = emb.get("embeddings")
        names = None
        if "classes.json" in entries:
            names = [c["name"] for c in json.loads(entries["classes.json"])["classes"]]
        return config, weights, text, names, sorted(entries)
    if config_path is None:
        raise SystemExit("%s is not a .seglight zip; a plain safetensors file needs --config CONFIG.json" % path)
    with open(path, "rb") as f:
        weights, _ = parse_safetensors(f.read(), path)
    with open(config_path) as f:
        config = json.load(f)
    text = None
    if text_path is not None:
        with open(text_path, "rb") as f:
            emb, _ = parse_safetensors(f.read(), text_path)
        if "embeddings" not in emb:
            raise SystemExit("%s holds no tensor named 'embeddings'" % text_path)
        text = emb["embeddings"]
    return config, weights, text, None, [os.path.basename(path)]


# ---------------------------------------------------------------------------------------------------------
# Modules (parameter names = docs/NETWORK.md §5.1 / Java names)
# ---------------------------------------------------------------------------------------------------------
class ConvBnAct(nn.Module):
    """Conv (no bias, padding k//2) + BatchNorm2d + ReLU6 / ReLU / none (Java ConvBnAct)."""

    def __init__(self, cin, cout, k, stride, groups, act, eps):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=eps)
        self.act = act

    def forward(self, x):
        x = self.bn(self.conv(x))
        if self.act == "relu6":
            return torch.clamp(x, 0.0, 6.0)
        if self.act == "relu":
            return F.relu(x)
        return x


class InvertedResidual(nn.Module):
    """docs/NETWORK.md §3.1: [1x1 expand] -> 3x3 depthwise (stride s) -> linear 1x1 project, identity shortcut."""

    def __init__(self, cin, cout, t, stride, eps):
        super().__init__()
        hidden = cin * t
        if t != 1:
            self.expand = ConvBnAct(cin, hidden, 1, 1, 1, "relu6", eps)
        self.dw = ConvBnAct(hidden, hidden, 3, stride, hidden, "relu6", eps)
        self.project = ConvBnAct(hidden, cout, 1, 1, 1, None, eps)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        h = self.expand(x) if hasattr(self, "expand") else x
        h = self.project(self.dw(h))
        return x + h if self.residual else h


class MobileNetV2Encoder(nn.Module):
    """MobileNetV2 width 1.0, features.0..17 (no 1280 conv); returns C2, C3, C4, C5 (strides 4, 8, 16, 32)."""

    def __init__(self, eps):
        super().__init__()
        layers = [ConvBnAct(3, 32, 3, 2, 1, "relu6", eps)]
        cin = 32
        for t, c, n, s in MNV2_SETTINGS:
            for i in range(n):
                layers.append(InvertedResidual(cin, c, t, s if i == 0 else 1, eps))
                cin = c
        self.features = nn.ModuleList(layers)

    def forward(self, x):
        outs = []
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in MNV2_OUT_FEATURES:
                outs.append(x)
        return outs


class DotConv2Former(nn.Module):
    """convformer-dot ablation of Conv2Former, as the Java Conv2Former(dot=true): no W^Q, no W^O, no softmax;
    A = <T_k, I_n>/sqrt(d) / N; T = LN(T + A @ I)."""

    def __init__(self, c, heads, eps):
        super().__init__()
        self.heads = heads
        self.ln = nn.LayerNorm(c, eps=eps)

    def forward(self, I, T):
        b, c, h, w = I.shape
        k, n, hb = T.shape[1], h * w, self.heads
        d = c // hb
        Xh = I.reshape(b, hb, d, n)
        Q = T.reshape(b, k, hb, d).permute(0, 2, 1, 3)
        A = (Q @ Xh) / math.sqrt(d) / n
        Z = (A @ Xh.transpose(-1, -2)).permute(0, 2, 1, 3).reshape(b, k, c)
        return self.ln(T + Z), A


class DotFormer2Conv(nn.Module):
    """convformer-dot ablation of Former2Conv, as the Java Former2Conv(dot=true): no W^K, W^V, no softmax;
    A = <I_n, T_k>/sqrt(d) / K; I = I + A @ T."""

    def __init__(self, heads):
        super().__init__()
        self.heads = heads

    def forward(self, I, T):
        b, c, h, w = I.shape
        k, n, hb = T.shape[1], h * w, self.heads
        d = c // hb
        Qp = I.reshape(b, hb, d, n).transpose(-1, -2)
        Kt = T.reshape(b, k, hb, d).permute(0, 2, 3, 1)
        Vt = T.reshape(b, k, hb, d).permute(0, 2, 1, 3)
        A = (Qp @ Kt) / math.sqrt(d) / k
        return I + (A @ Vt).transpose(-1, -2).reshape(b, c, h, w), A


class ConvFormerUnit(nn.Module):
    """docs/NETWORK.md §3.3: Conv2Former, then Former and the Conv block (independent), then Former2Conv."""

    def __init__(self, cfg):
        super().__init__()
        c, hb, eps = cfg["embedDim"], cfg["bridgeHeads"], cfg["normEps"]
        dot = cfg["variant"] == "convformer-dot"
        self.c2f = DotConv2Former(c, hb, eps) if dot else Conv2Former(c, hb, eps)
        self.former = Former(c, cfg["formerHeads"], eps)
        self.former.ffn = FFN(c, cfg["ffnRatio"])
        self.conv = InvertedResidual(c, c, cfg["convExpansion"], 1, eps)
        self.f2c = DotFormer2Conv(hb) if dot else Former2Conv(c, hb)

    def forward(self, I, T):
        T, a_c2f = self.c2f(I, T)
        T = self.former(T)
        I = self.conv(I)
        I, a_f2c = self.f2c(I, T)
        return I, T, a_c2f, a_f2c


def score_map(I, T):
    """§3.5: S[b,k,y,x] = <l2n(I)[b,:,y,x], l2n(T)[b,k,:]>."""
    return torch.einsum("bchw,bkc->bkhw", F.normalize(I, dim=1), F.normalize(T, dim=2))


class SeglightTwin(nn.Module):
    """The whole network; encode() depends on the image only, decode() on the encoder features and T0."""

    def __init__(self, cfg):
        super().__init__()
        variant = cfg["variant"]
        if variant not in VARIANTS:
            raise SystemExit("Unknown variant %r; this twin supports %s" % (variant, ", ".join(VARIANTS)))
        self.cfg = cfg
        self.variant = variant
        self.uses_text = variant != "fpn"
        eps = cfg["normEps"]
        self.encoder = MobileNetV2Encoder(eps)
        if self.uses_text:
            self.proj = nn.Conv2d(MNV2_OUT_CHANNELS[3], cfg["embedDim"], 1)
        n_units = cfg["units"] if variant in ("convformer", "convformer-dot") else 0
        if variant in ("fpn", "denseclip") and cfg["units"] != 0:
            raise SystemExit("%s has no fusion units, but the config says units = %d" % (variant, cfg["units"]))
        self.units = nn.ModuleList(ConvFormerUnit(cfg) for _ in range(n_units))
        top = cfg["embedDim"] + cfg["numClasses"] if self.uses_text else MNV2_OUT_CHANNELS[3]
        self.neck = FpnNeck([MNV2_OUT_CHANNELS[0], MNV2_OUT_CHANNELS[1], MNV2_OUT_CHANNELS[2], top],
                            cfg["neckChannels"])
        self.head = FpnHead(4, cfg["neckChannels"], cfg["headChannels"], cfg["numClasses"], eps, cfg["dropout"])
        self.eval()

    def load_weights(self, weights):
        """Loads every tensor; fails on missing, unused or mis-shaped names."""
        sd = self.state_dict()
        expected = {k for k in sd if not k.endswith("num_batches_tracked")}
        missing = sorted(expected - set(weights))
        unused = sorted(set(weights) - expected)
        shapes = sorted("%s: file %s, network %s" % (k, list(weights[k].shape), list(sd[k].shape))
                        for k in expected & set(weights) if tuple(weights[k].shape) != tuple(sd[k].shape))
        if missing or unused or shapes:
            raise SystemExit("The weights do not fit the %s network built from the config:\n  missing: %s\n"
                             "  unused: %s\n  wrong shape: %s" % (self.variant, missing, unused, shapes))
        for k in expected:
            sd[k] = weights[k]
        self.load_state_dict(sd, strict=True)
        return len(expected)

    # -- the forward, split as the Java SeglightNetwork (encode | decode), with component timing ------------
    def encode(self, x):
        c2, c3, c4, c5 = self.encoder(x)
        top = self.proj(c5) if self.uses_text else c5
        return c2, c3, c4, top

    def fuse(self, top, text):
        """Returns (X, S0, S, [A_c2f], [A_f2c]): the stride-32 map that enters the FPN, and the visuals."""
        if not self.uses_text:
            return top, None, None, [], []
        b = top.shape[0]
        t0 = text.unsqueeze(0).expand(b, -1, -1)
        if self.variant == "denseclip":
            s0 = score_map(top, t0)
            return torch.cat([top, s0], 1), s0, s0, [], []
        i, t, c2f, f2c = top, t0, [], []
        for unit in self.units:
            i, t, a, f = unit(i, t)
            c2f.append(a)
            f2c.append(f)
        i_prime, t_prime = i + top, t + t0
        s = score_map(i_prime, t_prime)
        s0 = score_map(top, t0)                      # visuals=true, as Segmenter and BenchCommand call decode
        return torch.cat([i_prime, s], 1), s0, s, c2f, f2c

    def fpn(self, c2, c3, c4, fused):
        return self.head(self.neck([c2, c3, c4, fused]))   # (B, K, H/4, W/4)

    def forward(self, x, text):
        c2, c3, c4, top = self.encode(x)
        fused, s0, s, _, _ = self.fuse(top, text)
        return self.fpn(c2, c3, c4, fused), s0, s


def build(args):
    cfg, weights, text, names, _ = load_model_file(args.model, args.config, args.text)
    model = SeglightTwin(cfg)
    model.load_weights(weights)
    if model.uses_text:
        if text is None:
            raise SystemExit("The %s variant needs text embeddings (the model file has none; pass --text)"
                             % cfg["variant"])
        if tuple(text.shape) != (cfg["numClasses"], cfg["embedDim"]):
            raise SystemExit("text embeddings have shape %s, the config needs (%d, %d)"
                             % (list(text.shape), cfg["numClasses"], cfg["embedDim"]))
    return model, cfg, text, names


# ---------------------------------------------------------------------------------------------------------
# The Segmenter pipeline (windows, padding, stitching, argmax)
# ---------------------------------------------------------------------------------------------------------
def plan_windows(width, height, crop_w, crop_h):
    """WindowPlan.plan: crops of the input size at a stride of two thirds, clipped to the image."""
    cw, ch = min(crop_w, width), min(crop_h, height)
    sw, sh = max(1, crop_w * 2 // 3), max(1, crop_h * 2 // 3)
    nw = max(width - cw + sw - 1, 0) // sw + 1
    nh = max(height - ch + sh - 1, 0) // sh + 1
    out = []
    for i in range(nh):
        for j in range(nw):
            y2, x2 = min(i * sh + ch, height), min(j * sw + cw, width)
            y1, x1 = max(y2 - ch, 0), max(x2 - cw, 0)
            out.append((x1, y1, x2 - x1, y2 - y1))
    return out


def read_image(path):
    """An upright 8-bit RGB image as a (H, W, 3) uint8 array, as ImageLoader.read (EXIF orientation for JPEG,
    alpha composited on black)."""
    from PIL import Image, ImageOps
    im = Image.open(path)
    if im.format == "JPEG":
        im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        black = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        im = Image.alpha_composite(black, rgba)
    return np.array(im.convert("RGB"), dtype=np.uint8)


def normalize_window(rgb, win):
    """ImageTensors.normalize: the window's pixels, (p - MEAN) / STD in float32, zero-padded to multiples of
    32, as (1, 3, Hp, Wp)."""
    x, y, w, h = win
    hp, wp = (h + STRIDE - 1) // STRIDE * STRIDE, (w + STRIDE - 1) // STRIDE * STRIDE
    px = torch.from_numpy(np.array(rgb[y:y + h, x:x + w])).permute(2, 0, 1).float()  # (3, h, w)
    mean = torch.tensor(MEAN, dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(3, 1, 1)
    out = torch.zeros(1, 3, hp, wp, dtype=torch.float32)
    out[0, :, :h, :w] = (px - mean) / std
    return out


class Timer:
    def __init__(self):
        self.ms = {}

    def add(self, key, t0):
        now = time.perf_counter()
        self.ms[key] = self.ms.get(key, 0.0) + (now - t0) * 1e3
        return now


def grid_add(grid, count, m, gx, gy):
    """GridStitcher.add: a (C, h, w) stride-32 map at grid cell (gx, gy); cells outside are dropped."""
    _, gh, gw = grid.shape
    _, h, w = m.shape
    x0, y0, x1, y1 = max(gx, 0), max(gy, 0), min(gx + w, gw), min(gy + h, gh)
    if x1 > x0 and y1 > y0:
        grid[:, y0:y1, x0:x1] += m[:, y0 - gy:y1 - gy, x0 - gx:x1 - gx]
        count[y0:y1, x0:x1] += 1


class Pipeline:
    """Segmenter.segment for one image: encode every window (cached), decode, upsample, stitch, argmax."""

    def __init__(self, model, cfg, text):
        self.model, self.cfg, self.text = model, cfg, text

    def windows(self, width, height, whole):
        if whole:
            return [(0, 0, width, height)]
        return plan_windows(width, height, self.cfg["inputWidth"], self.cfg["inputHeight"])

    def encode(self, rgb, windows, timer):
        t = time.perf_counter()
        feats = [self.model.encode(normalize_window(rgb, w)) for w in windows]
        timer.add("encoder", t)
        return feats

    def decode(self, feats, windows, width, height, timer):
        """Returns (labels (H, W) int64, probabilities (K, H, W), logits (K, H, W), S0/S grids)."""
        k = self.cfg["numClasses"]
        gw, gh = (width + 31) // 32, (height + 31) // 32
        multi = len(windows) > 1
        total = torch.zeros(k, height, width) if multi else None
        count = torch.zeros(1, height, width) if multi else None
        grids = {}
        single = None
        for (c2, c3, c4, top), win in zip(feats, windows):
            t = time.perf_counter()
            fused, s0, s, c2f, f2c = self.model.fuse(top, self.text)
            t = timer.add("fusion", t)
            logits = self.model.fpn(c2, c3, c4, fused)                           # (1, K, Hp/4, Wp/4)
            t = timer.add("fpn", t)
            x, y, w, h = win
            lh, lw = logits.shape[2:]
            up = F.interpolate(logits, size=(lh * 4, lw * 4), mode="bilinear", align_corners=False)
            up = up[0, :, :h, :w]                                                # (K, h, w)
            gx, gy = int(math.floor(x / 32 + 0.5)), int(math.floor(y / 32 + 0.5))  # Math.round(x / 32f)
            maps = {}
            if s is not None:
                maps["S"], maps["S0"] = s[0], s0[0]
            for u, (a, f) in enumerate(zip(c2f, f2c)):
                n = a.shape[-1]
                maps["c2f%d" % u] = a[0].reshape(-1, lh // 8, lw // 8)        # (h*K, fh, fw)
                maps["f2c%d" % u] = f[0].transpose(-1, -2).reshape(-1, lh // 8, lw // 8)
                assert n == (lh // 8) * (lw // 8)
            for name, m in maps.items():
                if name not in grids:
                    grids[name] = (torch.zeros(m.shape[0], gh, gw), torch.zeros(gh, gw))
                grid_add(grids[name][0], grids[name][1], m, gx, gy)
            if multi:
                total[:, y:y + h, x:x + w] += up
                count[:, y:y + h, x:x + w] += 1
            else:
                single = up
            timer.add("post", t)
        t = time.perf_counter()
        logits = single if single is not None else total / count                 # (K, H, W)
        labels = logits.argmax(0)
        prob = torch.softmax(logits, 0)
        stitched = {name: g / c.clamp(min=1) for name, (g, c) in grids.items()}
        timer.add("post", t)
        return labels, prob, logits, stitched


# ---------------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------------
def cmd_info(args):
    cfg, weights, text, names, entries = load_model_file(args.model, args.config, args.text)
    print("entries:", ", ".join(entries))
    print("config:", json.dumps(cfg))
    print("classes:", names)
    print("text embeddings:", None if text is None else list(text.shape))
    for k, v in weights.items():
        print("  %-50s %s" % (k, list(v.shape)))
    model = SeglightTwin(cfg)
    n = model.load_weights(weights)
    params = sum(p.numel() for p in model.parameters())
    print("%d tensors loaded, all names consumed; %d parameters (BN running stats excluded)" % (n, params))


@torch.no_grad()
def cmd_verify(args):
    from PIL import Image
    if args.threads:
        torch.set_num_threads(args.threads)
    model, cfg, text, names = build(args)
    rgb = read_image(args.image)
    height, width = rgb.shape[:2]
    pipe = Pipeline(model, cfg, text)
    windows = pipe.windows(width, height, args.whole)
    timer = Timer()
    feats = pipe.encode(rgb, windows, timer)
    labels, prob, logits, _ = pipe.decode(feats, windows, width, height, timer)
    java = np.asarray(Image.open(args.mask))
    if java.shape != (height, width):
        raise SystemExit("mask %s is %s, the image is %dx%d" % (args.mask, java.shape, width, height))
    ours = labels.numpy().astype(np.int64)
    agree = ours == java
    n_diff = int((~agree).sum())
    print("model %s: %s, K=%d, C=%d, units %d, input %dx%d; torch %s, %d threads"
          % (args.model, cfg["variant"], cfg["numClasses"], cfg["embedDim"], cfg["units"], cfg["inputWidth"],
             cfg["inputHeight"], torch.__version__, torch.get_num_threads()))
    print("image %s %dx%d: %d window(s) %s%s" % (args.image, width, height, len(windows), windows,
                                                  " (--whole)" if args.whole else " (as Segmenter/segment)"))
    print("pixel agreement with %s: %.4f%% (%d of %d pixels differ)"
          % (args.mask, 100.0 * agree.mean(), n_diff, agree.size))
    if n_diff:
        top2 = logits.topk(2, dim=0).values
        margin = (top2[0] - top2[1]).numpy()
        print("  top-1/top-2 logit margin at differing pixels: max %.3g, median %.3g (all pixels: median %.3g)"
              % (margin[~agree].max(), np.median(margin[~agree]), np.median(margin)))
    counts = np.bincount(ours.ravel(), minlength=cfg["numClasses"])
    label = names or [str(i) for i in range(cfg["numClasses"])]
    print("  classes (twin):", ", ".join("%s %d" % (label[i], c) for i, c in enumerate(counts) if c))
    if args.save_mask:
        Image.fromarray(ours.astype(np.uint8), mode="L").save(args.save_mask)
    return 0 if agree.mean() >= args.min_agreement else 1


def parse_size(s):
    w, h = s.lower().split("x")
    return int(w), int(h)


@torch.no_grad()
def cmd_bench(args):
    torch.set_num_threads(args.threads)
    model, cfg, text, _ = build(args)
    pipe = Pipeline(model, cfg, text)
    result = {"torch_version": torch.__version__, "threads": torch.get_num_threads(),
              "model": os.path.basename(args.model), "variant": cfg["variant"],
              "input": "%dx%d" % (cfg["inputWidth"], cfg["inputHeight"]),
              "mode": "whole" if args.whole else "windows", "runs": args.runs, "sizes": {}}
    gen = torch.Generator().manual_seed(0)
    for size in args.sizes.split(","):
        width, height = parse_size(size)
        rgb = torch.randint(0, 256, (height, width, 3), generator=gen, dtype=torch.uint8).numpy()
        windows = pipe.windows(width, height, args.whole)
        rows = {"full": [], "prompt_edit": [], "encoder": [], "fusion": [], "fpn": [], "post": []}
        for i in range(-3, args.runs):
            timer = Timer()
            t0 = time.perf_counter()
            feats = pipe.encode(rgb, windows, timer)
            pipe.decode(feats, windows, width, height, timer)
            full = (time.perf_counter() - t0) * 1e3
            t1 = time.perf_counter()
            pipe.decode(feats, windows, width, height, Timer())                 # prompt edit: cached features
            edit = (time.perf_counter() - t1) * 1e3
            if i >= 0:
                rows["full"].append(full)
                rows["prompt_edit"].append(edit)
                for key in ("encoder", "fusion", "fpn", "post"):
                    rows[key].append(timer.ms.get(key, 0.0))
        entry = {key + "_ms": round(statistics.median(v), 3) for key, v in rows.items()}
        entry["full_min_ms"] = round(min(rows["full"]), 3)
        entry["prompt_edit_min_ms"] = round(min(rows["prompt_edit"]), 3)
        entry["windows"] = len(windows)
        entry["window_inputs"] = sorted({"%dx%d" % ((w + 31) // 32 * 32, (h + 31) // 32 * 32)
                                         for _, _, w, h in windows})
        result["sizes"]["%dx%d" % (width, height)] = entry
    if args.json:
        print(json.dumps(result))
        return 0
    print("PyTorch %s eager, %d threads, float32, no_grad; %s (%s, K=%d, C=%d, units %d), input %s, %s; "
          "median of %d runs after 3 warm-up runs (ms)"
          % (result["torch_version"], result["threads"], result["model"], cfg["variant"], cfg["numClasses"],
             cfg["embedDim"], cfg["units"], result["input"], result["mode"], args.runs))
    cols = ["full", "prompt_edit", "encoder", "fusion", "fpn", "post"]
    print("%-10s %8s" % ("size", "windows") + "".join("%13s" % c for c in cols))
    for size, e in result["sizes"].items():
        print("%-10s %8d" % (size, e["windows"]) + "".join("%13.1f" % e[c + "_ms"] for c in cols))
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def model_args(sp):
        sp.add_argument("--model", required=True, help=".seglight file, or safetensors from `weights export`")
        sp.add_argument("--config", help="config.json for a plain safetensors --model")
        sp.add_argument("--text", help="safetensors with 'embeddings' (K, C) for a plain safetensors --model")

    sp = sub.add_parser("info", help="print the model file's entries, config and tensor names; check loading")
    model_args(sp)
    sp = sub.add_parser("verify", help="segment an image and compare the argmax with a Java mask PNG")
    model_args(sp)
    sp.add_argument("--image", required=True)
    sp.add_argument("--mask", required=True, help="indexed PNG written by `seglight segment` (value = class)")
    sp.add_argument("--whole", action="store_true",
                    help="one padded window for the whole image (Segmenter whole mode); default: the windows "
                         "`seglight segment` uses, which is one window when the image fits the input")
    sp.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's)")
    sp.add_argument("--min-agreement", type=float, default=0.999, help="exit status 1 below this fraction")
    sp.add_argument("--save-mask", help="write the twin's label mask (8-bit grey PNG) here")
    sp = sub.add_parser("bench", help="time the full forward, the prompt-edit path and the components")
    model_args(sp)
    sp.add_argument("--sizes", default="480x360,1024x768", help="comma-separated WxH image sizes")
    sp.add_argument("--runs", type=int, default=10, help="timed runs after 3 warm-up runs")
    sp.add_argument("--threads", type=int, default=2)
    sp.add_argument("--whole", action="store_true",
                    help="run each size as one padded input (as `seglight bench` does) instead of the windows "
                         "`seglight segment` uses")
    sp.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    return {"info": cmd_info, "verify": cmd_verify, "bench": cmd_bench}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
