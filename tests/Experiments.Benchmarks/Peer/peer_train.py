#!/usr/bin/env python3
"""The PyTorch side of the benchmark's `peer` section: the catalog's models with fastai's head, trained in plain PyTorch.

    peer_train.py --probe                 one line: PEER-PROBE {json} (Python, torch, torchvision, BLAS, oneDNN, ISA, CUDA)
    peer_train.py --count --model resnet18 --size 32   one line: PEER-COUNT {json} (parameters, those that get a gradient)
    peer_train.py --serve --model resnet18 --size 32 --batch 64 --steps 20 --threads 2 --data DIR [--device cuda] [--channels-last]

--serve builds the model and prints PEER-READY {json} (parameter counts), then runs one round per line on stdin:
`pipeline` (a torch DataLoader epoch with batch augmentation, then one validation batch and the epoch's metrics written
to SQLite) or `bare` (pre-made tensors), each answered by PEER-ROUND {json}; `quit` ends it. A model torchvision cannot
build prints PEER-UNSUPPORTED <why> (exit 4). The benchmark (tests/Experiments.Benchmarks, Sections/PeerSection.cs)
starts this script and interleaves its rounds with its own.
"""
import argparse
import gzip
import json
import math
import os
import platform
import sqlite3
import sys
import tempfile
import time


def probe():
    import torch
    info = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "mkl": torch.backends.mkl.is_available(),
        "cuda": torch.cuda.is_available(),
        "config": torch.__config__.show(),
    }
    try:
        import torchvision
        info["torchvision"] = torchvision.__version__
    except ImportError:
        info["torchvision"] = None
    cpu = getattr(torch.backends, "cpu", None)
    info["cpu_capability"] = cpu.get_cpu_capability() if cpu is not None and hasattr(cpu, "get_cpu_capability") else None
    if info["cuda"]:
        info["cuda_device"] = torch.cuda.get_device_name(0)
    print("PEER-PROBE " + json.dumps(info), flush=True)


# ---- models: torchvision bodies with fastai's create_head, as ModelCatalog.Create builds them ----

def build(name, classes):
    """(body, features, pooled): the torchvision network of a catalog name without its classifier, or a ValueError."""
    import torch.nn as nn
    import torchvision.models as tvm

    if name in ("resnet18", "resnet34", "resnet50", "resnext50_32x4d"):
        m = getattr(tvm, name)()
        return nn.Sequential(*list(m.children())[:-2]), m.fc.in_features, False
    if name in ("regnety_002", "regnety_004"):
        from torchvision.models.regnet import BlockParams, RegNet
        # timm's regnety_002 / _004 (pycls RegNetY-200MF / 400MF); torchvision's regnet_y_400mf is the second.
        params = dict(depth=13, w_0=24, w_a=36.44, w_m=2.49) if name == "regnety_002" else dict(depth=16, w_0=48, w_a=27.89, w_m=2.09)
        m = RegNet(BlockParams.from_init_params(group_width=8, se_ratio=0.25, **params))
        return nn.Sequential(m.stem, m.trunk_output), m.fc.in_features, False
    if name in ("mobilenetv3_large_100", "mobilenetv3_small_100"):
        m = tvm.mobilenet_v3_large() if "large" in name else tvm.mobilenet_v3_small()
        return m.features, m.classifier[0].in_features, False
    convnexts = {"convnext_atto": (40, (2, 2, 6, 2)), "convnext_femto": (48, (2, 2, 6, 2)), "convnext_pico": (64, (2, 2, 6, 2)),
                 "convnext_nano": (80, (2, 2, 8, 2)), "convnext_tiny": (96, (3, 3, 9, 3))}
    if name in convnexts:
        from torchvision.models.convnext import CNBlockConfig, ConvNeXt
        width, depths = convnexts[name]
        dims = [width, width * 2, width * 4, width * 8]
        blocks = [CNBlockConfig(dims[i], dims[i + 1] if i < 3 else None, depths[i]) for i in range(4)]
        m = ConvNeXt(blocks, stochastic_depth_prob=0.0)  # timm's default drop_path_rate is 0
        return m.features, dims[3], False
    vits = {"vit_tiny_patch4_32": (32, 4, 192, 3), "vit_small_patch4_32": (32, 4, 384, 6),
            "vit_tiny_patch16_224": (224, 16, 192, 3), "vit_small_patch16_224": (224, 16, 384, 6)}
    if name in vits:
        from torchvision.models.vision_transformer import VisionTransformer
        size, patch, width, heads = vits[name]
        m = VisionTransformer(image_size=size, patch_size=patch, num_layers=12, num_heads=heads, hidden_dim=width, mlp_dim=4 * width)
        m.heads = nn.Identity()  # the body ends with the class token after the final norm, as timm's with num_classes=0
        return m, width, True
    swins = {"swin_tiny_patch4_window7_224": (4, 7, False), "swin_tiny_patch2_window4_32": (2, 4, False),
             "swinv2_tiny_window8_256": (4, 8, True), "swinv2_tiny_patch2_window4_32": (2, 4, True)}
    if name in swins:
        from torchvision.models import swin_transformer as st
        patch, window, v2 = swins[name]
        extra = dict(block=st.SwinTransformerBlockV2, downsample_layer=st.PatchMergingV2) if v2 else {}
        if v2 and not hasattr(st, "SwinTransformerBlockV2"):
            raise ValueError("this torchvision has no Swin V2 (0.14 or newer has)")
        m = st.SwinTransformer(patch_size=[patch, patch], embed_dim=96, depths=[2, 2, 6, 2], num_heads=[3, 6, 12, 24],
                               window_size=[window, window], stochastic_depth_prob=0.0, **extra)

        class SwinBody(nn.Module):
            def __init__(self):
                super().__init__()
                self.features, self.norm = m.features, m.norm

            def forward(self, x):
                return self.norm(self.features(x)).permute(0, 3, 1, 2)  # NHWC tokens → a map for the pooled head

        return SwinBody(), m.head.in_features, False
    raise ValueError(f"torchvision has no counterpart of '{name}' (timm-only or CNTK architecture)")


def create(name, classes):
    import torch
    import torch.nn as nn

    class AdaptiveConcatPool2d(nn.Module):
        def forward(self, x):
            return torch.cat([nn.functional.adaptive_max_pool2d(x, 1), nn.functional.adaptive_avg_pool2d(x, 1)], 1)

    body, nf, pooled = build(name, classes)
    layers = [] if pooled else [AdaptiveConcatPool2d(), nn.Flatten()]
    nf = nf if pooled else 2 * nf
    # fastai's create_head: BN, dropout ps/2, Linear (no bias), ReLU, BN, dropout ps, Linear (no bias).
    layers += [nn.BatchNorm1d(nf), nn.Dropout(0.25), nn.Linear(nf, 512, bias=False), nn.ReLU(inplace=True),
               nn.BatchNorm1d(512), nn.Dropout(0.5), nn.Linear(512, classes, bias=False)]
    return nn.Sequential(body, nn.Sequential(*layers))


def adamw(model, lr):
    """fastai's Adam as torch's AdamW: body and head groups, no weight decay on biases and norm parameters."""
    import torch
    import torch.nn as nn
    norms = (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)
    groups = []
    for part in model:
        no_decay = {id(p) for m in part.modules() if isinstance(m, norms) for p in m.parameters(recurse=False)}
        params = list(part.parameters())
        decay = [p for p in params if p.ndim > 1 and id(p) not in no_decay]
        rest = [p for p in params if not (p.ndim > 1 and id(p) not in no_decay)]
        groups += [{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}]
    return torch.optim.AdamW([g for g in groups if g["params"]], lr=lr, betas=(0.9, 0.99), eps=1e-5)


# ---- data: Fashion-MNIST from the IDX files ----

def read_idx(path):
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def augment(x, generator):
    """fastai's aug_transforms on a float batch in [0, 1]: flip, rotate ±10°, zoom 1–1.1 (p 0.75), lighting 0.2 (p 0.75); no warp."""
    import torch
    import torch.nn.functional as F
    b = x.shape[0]
    dev = x.device

    def uniform(lo, hi):
        return torch.rand(b, generator=generator).to(dev) * (hi - lo) + lo

    apply = (torch.rand(b, generator=generator) < 0.75).to(dev)
    angle = torch.where(apply, uniform(-10, 10), torch.zeros(b, device=dev)) * math.pi / 180
    zoom = torch.where(apply, uniform(1, 1.1), torch.ones(b, device=dev))
    flip = torch.where((torch.rand(b, generator=generator) < 0.5).to(dev), -1.0, 1.0)
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.stack([torch.stack([cos * flip, -sin, torch.zeros_like(cos)], 1),
                         torch.stack([sin * flip, cos, torch.zeros_like(cos)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=True)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=True)
    light = (torch.rand(b, generator=generator) < 0.75).to(dev)
    brightness = torch.where(light, uniform(0.4, 0.6), torch.full((b,), 0.5, device=dev))
    contrast = torch.where(light, torch.exp(uniform(math.log(0.8), math.log(1.25))), torch.ones(b, device=dev))
    logit = torch.logit(x.clamp(1e-6, 1 - 1e-6))
    shift = torch.logit(brightness)
    return torch.sigmoid(logit * contrast.view(-1, 1, 1, 1) + shift.view(-1, 1, 1, 1))


def trained_parameters(model, size, device):
    """Parameters that get a gradient from one training batch (what the optimizer trains), after which the gradients are cleared."""
    import torch
    import torch.nn.functional as F
    model.train()
    F.cross_entropy(model(torch.randn(2, 3, size, size, device=device)), torch.tensor([0, 1], device=device)).backward()
    trained = sum(p.numel() for p in model.parameters() if p.grad is not None)
    model.zero_grad(set_to_none=True)
    return trained


def count(args):
    import torch
    try:
        model = create(args.model, 10)
    except ValueError as e:
        print(f"PEER-UNSUPPORTED {e}", flush=True)
        return 4
    print("PEER-COUNT " + json.dumps({"parameters": sum(p.numel() for p in model.parameters()),
                                      "trained_parameters": trained_parameters(model, args.size, torch.device("cpu"))}), flush=True)
    return 0


def serve(args):
    import numpy as np
    import torch
    import torch.nn.functional as F
    import torchvision.transforms.functional as TF
    from torch.utils.data import DataLoader, Dataset

    torch.set_num_threads(args.threads)
    if args.no_onednn:
        torch.backends.mkldnn.enabled = False  # as the product runs with EXPERIMENTS_ONEDNN=off
    torch.manual_seed(1)
    device = torch.device(args.device)
    try:
        model = create(args.model, 10)
    except ValueError as e:
        print(f"PEER-UNSUPPORTED {e}", flush=True)
        return 4
    model.to(device)
    memory_format = torch.channels_last if args.channels_last else torch.contiguous_format
    if args.channels_last:
        model.to(memory_format=torch.channels_last)
    optimizer = adamw(model, 1e-3)
    mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)

    count = args.steps * args.batch
    train_x = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))
    train_y = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))
    index = np.arange(count) % len(train_x)
    images, labels = train_x[index], train_y[index].astype(np.int64)
    valid_x = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))[:args.batch]
    valid_y = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))[:args.batch].astype(np.int64)

    def resize(item):
        tensor = torch.from_numpy(np.ascontiguousarray(item))[None]
        return tensor if args.size == tensor.shape[-1] else TF.resize(tensor, [args.size, args.size], antialias=True)

    class Items(Dataset):
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return resize(self.x[i]), int(self.y[i])

    cuda = device.type == "cuda"
    loader = DataLoader(Items(images, labels), batch_size=args.batch, shuffle=True, drop_last=True, num_workers=1,
                        persistent_workers=True, pin_memory=cuda)
    valid = DataLoader(Items(valid_x, valid_y), batch_size=args.batch)
    generator = torch.Generator().manual_seed(1)

    def prepare(x, train):
        x = x.to(device, non_blocking=cuda).float().div_(255)
        if train:
            x = augment(x, generator)
        return ((x - mean) / std).contiguous(memory_format=memory_format)  # grey → 3 channels by broadcasting

    # The bare loop's data: the same images resized once, normalised, 3 channels.
    with torch.no_grad():
        bare_x = torch.stack([resize(i) for i in images]).to(device).float().div_(255)
        bare_x = ((bare_x - mean) / std).contiguous(memory_format=memory_format)
    bare_y = torch.from_numpy(labels).to(device)

    def step(x, y):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    trained = trained_parameters(model, args.size, device)
    total = sum(p.numel() for p in model.parameters())
    store = sqlite3.connect(os.path.join(tempfile.mkdtemp(prefix="peer-store-"), "results.db"))
    store.execute("create table if not exists epoch_metrics (epoch integer, name text, value real)")
    print("PEER-READY " + json.dumps({"parameters": total, "trained_parameters": trained, "device": str(device),
                                      "threads": torch.get_num_threads()}), flush=True)

    epoch = 0
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        start = time.perf_counter()
        if command == "bare":
            model.train()
            for s in range(args.steps):
                b = s % (len(bare_x) // args.batch)
                step(bare_x[b * args.batch:(b + 1) * args.batch], bare_y[b * args.batch:(b + 1) * args.batch])
            seconds, extra = time.perf_counter() - start, 0.0
        elif command == "pipeline":
            model.train()
            losses = [step(prepare(x, True), y.to(device)) for x, y in loader]
            seconds = time.perf_counter() - start
            model.eval()
            with torch.no_grad():
                errors = [(model(prepare(x, False)).argmax(1).cpu() != y).float().mean().item() for x, y in valid]
            epoch += 1
            store.executemany("insert into epoch_metrics values (?, ?, ?)",
                              [(epoch, "train_loss", sum(losses) / len(losses)), (epoch, "error_rate", sum(errors) / len(errors))])
            store.commit()
            extra = time.perf_counter() - start - seconds
        else:
            print(f"PEER-ERROR unknown command '{command}'", flush=True)
            return 2
        images = args.steps * args.batch
        print("PEER-ROUND " + json.dumps({"images": images, "seconds": seconds, "extra_seconds": extra}), flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", action="store_true")
    parser.add_argument("--count", action="store_true")
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--no-onednn", action="store_true")
    parser.add_argument("--model")
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    if args.probe:
        probe()
        return 0
    if args.count and args.model:
        return count(args)
    if args.serve and args.model:
        return serve(args)
    parser.error("give --probe, or --count or --serve with --model")


if __name__ == "__main__":
    sys.exit(main())
