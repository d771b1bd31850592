"""Writes the reference state-dict key lists (key, TAB, shape) checked by StateDictKeyTests.

Also writes pytorch-outputs/*.safetensors: small configurations of the same module trees with random weights,
an input and PyTorch's output, checked by PyTorchOutputTests.

Run with a PyTorch that has torchvision (Debian 12: apt-get install python3-torch python3-torchvision):
    /usr/bin/python3 make_reference.py [OUTPUT_DIR]

Where the module trees come from:
- resnet18, resnext50_32x4d: torchvision's own `torchvision.models.resnet18` / `resnext50_32x4d` (the reference
  implementation itself; timm's resnext50_32x4d has the same module tree and keys).
- resnet26d, convnext_*, vit_*, regnety_*, mobilenetv3_*, swin_*, swinv2_*: timm is not packaged for Debian, so the classes below rebuild timm's
  module trees with timm's attribute names, read from huggingface/pytorch-image-models:
  timm/models/resnet.py (ResNet: deep stem `conv1` Sequential, `downsample_avg`), timm/models/convnext.py
  (ConvNeXt, ConvNeXtStage, ConvNeXtBlock; NormMlpClassifierHead), timm/models/vision_transformer.py
  (VisionTransformer, Block, Attention; PatchEmbed; Mlp) and timm/models/regnet.py (RegNet, RegStage, Bottleneck;
  ConvNormAct, SEModule, ClassifierHead), timm/models/mobilenetv3.py with _efficientnet_blocks.py (MobileNetV3;
  DepthwiseSeparableConv, InvertedResidual, ConvBnAct, SqueezeExcite; the arch_def of _gen_mobilenet_v3),
  timm/models/swin_transformer.py (SwinTransformer, SwinTransformerStage, SwinTransformerBlock, WindowAttention,
  PatchMerging) and timm/models/swin_transformer_v2.py (SwinTransformerV2 and its Stage, Block, WindowAttention,
  PatchMerging); buffers timm registers with persistent=False stay out of the key lists. Modules without parameters (activations, pools, Identity) are kept where
  they take a Sequential index. Their parameter counts at 1000 classes equal timm's published figures
  (model cards, "Params (M)") and, where torchvision has the same network, torchvision's exact counts
  (convnext_tiny 28,589,128; regnet_y_400mf = regnety_004 4,344,144; mobilenet_v3_large/small 5,483,032 /
  2,542,856; swin_t 28,288,354). The MobileNetV3, Swin and Swin V2 trees were also checked output for output against
  torchvision's mobilenet_v3_large/small (BatchNorm eps set to timm's 1e-5), swin_t and swin_v2_t (its key bias kept
  at zero, as torchvision does) with torchvision's weights mapped by name: identical outputs.
"""
import torch, torch.nn as nn, torch.nn.functional as F, math, sys, json
import torchvision

class LayerNorm2d(nn.LayerNorm):
    def __init__(self, c, eps=1e-6): super().__init__(c, eps=eps)
    def forward(self, x):
        return F.layer_norm(x.permute(0,2,3,1), self.normalized_shape, self.weight, self.bias, self.eps).permute(0,3,1,2)

# ---- timm resnet (deep stem, avg down) ----
class TBottleneck(nn.Module):
    expansion = 4
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        width = planes; outplanes = planes*4
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False); self.bn1 = nn.BatchNorm2d(width); self.act1 = nn.ReLU()
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False); self.bn2 = nn.BatchNorm2d(width); self.act2 = nn.ReLU()
        self.conv3 = nn.Conv2d(width, outplanes, 1, bias=False); self.bn3 = nn.BatchNorm2d(outplanes); self.act3 = nn.ReLU()
        self.downsample = downsample
    def forward(self, x):
        s = x
        x = self.act1(self.bn1(self.conv1(x))); x = self.act2(self.bn2(self.conv2(x))); x = self.bn3(self.conv3(x))
        if self.downsample is not None: s = self.downsample(s)
        return self.act3(x + s)

class TResNetD(nn.Module):
    def __init__(self, layers, num_classes=1000, in_chans=3, stem_width=32):
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(in_chans, stem_width, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(stem_width), nn.ReLU(),
            nn.Conv2d(stem_width, stem_width, 3, stride=1, padding=1, bias=False), nn.BatchNorm2d(stem_width), nn.ReLU(),
            nn.Conv2d(stem_width, 64, 3, stride=1, padding=1, bias=False))
        self.bn1 = nn.BatchNorm2d(64); self.act1 = nn.ReLU(); self.maxpool = nn.MaxPool2d(3, 2, 1)
        inplanes = 64
        for i, (planes, n) in enumerate(zip([64,128,256,512], layers)):
            stride = 1 if i == 0 else 2
            ds = None
            if stride != 1 or inplanes != planes*4:
                pool = nn.Identity() if stride == 1 else nn.AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False)
                ds = nn.Sequential(pool, nn.Conv2d(inplanes, planes*4, 1, bias=False), nn.BatchNorm2d(planes*4))
            blocks = []
            for b in range(n):
                blocks.append(TBottleneck(inplanes, planes, stride if b == 0 else 1, ds if b == 0 else None)); inplanes = planes*4
            setattr(self, f'layer{i+1}', nn.Sequential(*blocks))
        self.global_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(inplanes, num_classes) if num_classes else nn.Identity()
    def forward(self, x):
        x = self.maxpool(self.act1(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(self.global_pool(x).flatten(1))

# ---- timm convnext ----
class Mlp(nn.Module):
    def __init__(self, c, h, conv):
        super().__init__()
        self.fc1 = nn.Conv2d(c, h, 1) if conv else nn.Linear(c, h)
        self.act = nn.GELU()
        self.fc2 = nn.Conv2d(h, c, 1) if conv else nn.Linear(h, c)
    def forward(self, x): return self.fc2(self.act(self.fc1(x)))

class CNBlock(nn.Module):
    def __init__(self, c, conv_mlp):
        super().__init__()
        self.use_conv_mlp = conv_mlp
        self.conv_dw = nn.Conv2d(c, c, 7, padding=3, groups=c)
        self.norm = LayerNorm2d(c) if conv_mlp else nn.LayerNorm(c, eps=1e-6)
        self.mlp = Mlp(c, 4*c, conv_mlp)
        self.gamma = nn.Parameter(1e-6 * torch.ones(c))
    def forward(self, x):
        s = x; x = self.conv_dw(x)
        if self.use_conv_mlp: x = self.mlp(self.norm(x))
        else: x = self.mlp(self.norm(x.permute(0,2,3,1))).permute(0,3,1,2)
        return x.mul(self.gamma.reshape(1,-1,1,1)) + s

class CNStage(nn.Module):
    def __init__(self, cin, cout, stride, depth, conv_mlp):
        super().__init__()
        self.downsample = nn.Sequential(LayerNorm2d(cin), nn.Conv2d(cin, cout, 2, stride=stride)) if (cin != cout or stride > 1) else nn.Identity()
        self.blocks = nn.Sequential(*[CNBlock(cout, conv_mlp) for _ in range(depth)])
    def forward(self, x): return self.blocks(self.downsample(x))

class CNHead(nn.Module):
    def __init__(self, c, n):
        super().__init__()
        self.global_pool = nn.AdaptiveAvgPool2d(1); self.norm = LayerNorm2d(c); self.flatten = nn.Flatten(1)
        self.fc = nn.Linear(c, n) if n else nn.Identity()
    def forward(self, x): return self.fc(self.flatten(self.norm(self.global_pool(x))))

class ConvNeXt(nn.Module):
    def __init__(self, depths, dims, conv_mlp, num_classes=1000, in_chans=3):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_chans, dims[0], 4, stride=4), LayerNorm2d(dims[0]))
        st = []; prev = dims[0]
        for i in range(4):
            st.append(CNStage(prev, dims[i], 2 if i > 0 else 1, depths[i], conv_mlp)); prev = dims[i]
        self.stages = nn.Sequential(*st)
        self.norm_pre = nn.Identity()
        self.head = CNHead(prev, num_classes)
    def forward(self, x): return self.head(self.norm_pre(self.stages(self.stem(x))))

# ---- timm vit ----
class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__(); self.h = h
        self.qkv = nn.Linear(d, 3*d); self.q_norm = nn.Identity(); self.k_norm = nn.Identity(); self.proj = nn.Linear(d, d)
    def forward(self, x):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4).unbind(0)
        a = (q * (C // self.h) ** -0.5) @ k.transpose(-2, -1)
        x = a.softmax(-1) @ v
        return self.proj(x.transpose(1, 2).reshape(B, N, C))

class VBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, eps=1e-6); self.attn = Attention(d, h); self.ls1 = nn.Identity()
        self.norm2 = nn.LayerNorm(d, eps=1e-6); self.mlp = Mlp(d, 4*d, False); self.ls2 = nn.Identity()
    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))

class PatchEmbed(nn.Module):
    def __init__(self, cin, d, p):
        super().__init__(); self.proj = nn.Conv2d(cin, d, p, stride=p); self.norm = nn.Identity()
    def forward(self, x): return self.norm(self.proj(x).flatten(2).transpose(1, 2))

class ViT(nn.Module):
    def __init__(self, d, depth, h, p, img, num_classes=1000, in_chans=3):
        super().__init__()
        self.patch_embed = PatchEmbed(in_chans, d, p)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.randn(1, (img // p) ** 2 + 1, d) * .02)
        self.blocks = nn.Sequential(*[VBlock(d, h) for _ in range(depth)])
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.fc_norm = nn.Identity()
        self.head = nn.Linear(d, num_classes) if num_classes else nn.Identity()
    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(self.fc_norm(x[:, 0]))

# ---- timm regnet ----
class ConvNormAct(nn.Module):
    def __init__(self, cin, cout, k, stride=1, groups=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=((stride - 1) + (k - 1)) // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout); self.act = act
    def forward(self, x):
        x = self.bn(self.conv(x)); return F.relu(x) if self.act else x

class SEModule(nn.Module):
    def __init__(self, c, rd):
        super().__init__(); self.fc1 = nn.Conv2d(c, rd, 1); self.bn = nn.Identity(); self.act = nn.ReLU(); self.fc2 = nn.Conv2d(rd, c, 1)
    def forward(self, x): return x * self.fc2(self.act(self.bn(self.fc1(x.mean((2, 3), keepdim=True))))).sigmoid()

class RBottleneck(nn.Module):
    def __init__(self, cin, cout, stride, gw):
        super().__init__()
        self.conv1 = ConvNormAct(cin, cout, 1)
        self.conv2 = ConvNormAct(cout, cout, 3, stride, cout // gw)
        self.se = SEModule(cout, int(round(cin * 0.25)))
        self.conv3 = ConvNormAct(cout, cout, 1, act=False)
        self.act3 = nn.ReLU()
        self.downsample = ConvNormAct(cin, cout, 1, stride, act=False) if (cin != cout or stride != 1) else nn.Identity()
    def forward(self, x):
        return self.act3(self.conv3(self.se(self.conv2(self.conv1(x)))) + self.downsample(x))

class RegStage(nn.Module):
    def __init__(self, depth, cin, cout, gw):
        super().__init__()
        for i in range(depth):
            self.add_module(f'b{i+1}', RBottleneck(cin if i == 0 else cout, cout, 2 if i == 0 else 1, gw))
    def forward(self, x):
        for b in self.children(): x = b(x)
        return x

class RHead(nn.Module):
    def __init__(self, c, n):
        super().__init__(); self.fc = nn.Linear(c, n) if n else nn.Identity()
    def forward(self, x): return self.fc(x.mean((2, 3)))

class RegNet(nn.Module):
    def __init__(self, widths, depths, gw, num_classes=1000, in_chans=3):
        super().__init__()
        self.stem = ConvNormAct(in_chans, 32, 3, 2)
        prev = 32
        for i, (w, d) in enumerate(zip(widths, depths)):
            self.add_module(f's{i+1}', RegStage(d, prev, w, gw)); prev = w
        self.final_conv = nn.Identity()
        self.head = RHead(prev, num_classes)
    def forward(self, x):
        for m in self.children(): x = m(x)
        return x

# ---- timm mobilenetv3 (mobilenetv3.py MobileNetV3, _efficientnet_blocks.py) ----
def make_divisible(v, divisor=8, min_value=None, round_limit=.9):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < round_limit * v:
        new_v += divisor
    return new_v

def _pad(k, s): return ((s - 1) + (k - 1)) // 2
def _act(hs): return nn.Hardswish() if hs else nn.ReLU()

class EffSE(nn.Module):
    def __init__(self, c):
        super().__init__(); rd = make_divisible(c * 0.25)
        self.conv_reduce = nn.Conv2d(c, rd, 1); self.act1 = nn.ReLU(); self.conv_expand = nn.Conv2d(rd, c, 1); self.gate = nn.Hardsigmoid()
    def forward(self, x): return x * self.gate(self.conv_expand(self.act1(self.conv_reduce(x.mean((2, 3), keepdim=True)))))

# timm's BatchNormAct2d keeps its activation inside bn1/bn2 (no parameters); here it is a sibling module: same keys.
class DSConv(nn.Module):
    def __init__(self, cin, k, s, e, cout, se, hs):
        super().__init__(); self.has_skip = s == 1 and cin == cout
        self.conv_dw = nn.Conv2d(cin, cin, k, s, _pad(k, s), groups=cin, bias=False); self.bn1 = nn.BatchNorm2d(cin); self.act1 = _act(hs)
        self.se = EffSE(cin) if se else nn.Identity()
        self.conv_pw = nn.Conv2d(cin, cout, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
    def forward(self, x):
        y = self.bn2(self.conv_pw(self.se(self.act1(self.bn1(self.conv_dw(x))))))
        return y + x if self.has_skip else y

class InvRes(nn.Module):
    def __init__(self, cin, k, s, e, cout, se, hs):
        super().__init__(); self.has_skip = s == 1 and cin == cout; mid = make_divisible(cin * e)
        self.conv_pw = nn.Conv2d(cin, mid, 1, bias=False); self.bn1 = nn.BatchNorm2d(mid); self.act1 = _act(hs)
        self.conv_dw = nn.Conv2d(mid, mid, k, s, _pad(k, s), groups=mid, bias=False); self.bn2 = nn.BatchNorm2d(mid); self.act2 = _act(hs)
        self.se = EffSE(mid) if se else nn.Identity()
        self.conv_pwl = nn.Conv2d(mid, cout, 1, bias=False); self.bn3 = nn.BatchNorm2d(cout)
    def forward(self, x):
        y = self.act1(self.bn1(self.conv_pw(x))); y = self.se(self.act2(self.bn2(self.conv_dw(y))))
        y = self.bn3(self.conv_pwl(y))
        return y + x if self.has_skip else y

class CBA(nn.Module):
    def __init__(self, cin, k, s, e, cout, se, hs):
        super().__init__(); self.conv = nn.Conv2d(cin, cout, k, s, _pad(k, s), bias=False); self.bn1 = nn.BatchNorm2d(cout); self.act1 = _act(hs)
    def forward(self, x): return self.act1(self.bn1(self.conv(x)))

def _arch(defs):
    # timm block strings ('ir_r3_k5_s2_e3_c40_se0.25_nre') decoded: (type, repeats, kernel, stride, exp, out, se, hard-swish).
    out = []
    for stage in defs:
        blocks = []
        for t, r, k, s, e, c, se, hs in stage:
            blocks += [(t, k, s if i == 0 else 1, e, c, se, hs) for i in range(r)]
        out.append(blocks)
    return out

MNV3_LARGE = _arch([[('ds', 1, 3, 1, 1, 16, False, False)],
                    [('ir', 1, 3, 2, 4, 24, False, False), ('ir', 1, 3, 1, 3, 24, False, False)],
                    [('ir', 3, 5, 2, 3, 40, True, False)],
                    [('ir', 1, 3, 2, 6, 80, False, True), ('ir', 1, 3, 1, 2.5, 80, False, True), ('ir', 2, 3, 1, 2.3, 80, False, True)],
                    [('ir', 2, 3, 1, 6, 112, True, True)],
                    [('ir', 3, 5, 2, 6, 160, True, True)],
                    [('cn', 1, 1, 1, 1, 960, False, True)]])
MNV3_SMALL = _arch([[('ds', 1, 3, 2, 1, 16, True, False)],
                    [('ir', 1, 3, 2, 4.5, 24, False, False), ('ir', 1, 3, 1, 3.67, 24, False, False)],
                    [('ir', 1, 5, 2, 4, 40, True, True), ('ir', 2, 5, 1, 6, 40, True, True)],
                    [('ir', 2, 5, 1, 3, 48, True, True)],
                    [('ir', 3, 5, 2, 6, 96, True, True)],
                    [('cn', 1, 1, 1, 1, 576, False, True)]])

class MobileNetV3(nn.Module):
    def __init__(self, stages, num_features, num_classes=1000, in_chans=3):
        super().__init__()
        self.conv_stem = nn.Conv2d(in_chans, 16, 3, 2, 1, bias=False); self.bn1 = nn.BatchNorm2d(16); self.act1 = nn.Hardswish()
        c = 16; seq = []
        for stage in stages:
            blocks = []
            for t, k, s, e, cout, se, hs in stage:
                blocks.append({'ds': DSConv, 'ir': InvRes, 'cn': CBA}[t](c, k, s, e, cout, se, hs)); c = cout
            seq.append(nn.Sequential(*blocks))
        self.blocks = nn.Sequential(*seq)
        self.global_pool = nn.AdaptiveAvgPool2d(1)
        self.conv_head = nn.Conv2d(c, num_features, 1); self.act2 = nn.Hardswish(); self.flatten = nn.Flatten(1)
        self.classifier = nn.Linear(num_features, num_classes) if num_classes else nn.Identity()
    def forward(self, x):
        x = self.blocks(self.act1(self.bn1(self.conv_stem(x))))
        return self.classifier(self.flatten(self.act2(self.conv_head(self.global_pool(x)))))

# ---- timm swin_transformer.py (SwinTransformer, SwinTransformerStage, SwinTransformerBlock, WindowAttention, PatchMerging) ----
def window_partition(x, w):
    B, H, W, C = x.shape
    return x.view(B, H // w, w, W // w, w, C).permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, w, w, C)

def window_reverse(windows, w, H, W):
    C = windows.shape[-1]
    return windows.view(-1, H // w, W // w, w, w, C).permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, H, W, C)

def relative_position_index(w):
    coords = torch.stack(torch.meshgrid(torch.arange(w), torch.arange(w), indexing='ij')).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0).contiguous()
    rel[:, :, 0] += w - 1; rel[:, :, 1] += w - 1; rel[:, :, 0] *= 2 * w - 1
    return rel.sum(-1)

class WindowAttention(nn.Module):
    def __init__(self, dim, heads, w):
        super().__init__(); self.heads = heads; self.scale = (dim // heads) ** -0.5; self.area = w * w
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * w - 1) ** 2, heads))
        self.register_buffer('relative_position_index', relative_position_index(w), persistent=False)
        self.qkv = nn.Linear(dim, 3 * dim); self.attn_drop = nn.Dropout(0.); self.proj = nn.Linear(dim, dim); self.proj_drop = nn.Dropout(0.)
        self.softmax = nn.Softmax(-1)
    def forward(self, x, mask=None):
        B_, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B_, N, 3, self.heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        attn = (q * self.scale) @ k.transpose(-2, -1)
        bias = self.relative_position_bias_table[self.relative_position_index.view(-1)].view(self.area, self.area, -1).permute(2, 0, 1)
        attn = attn + bias.unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = (attn.view(-1, nw, self.heads, N, N) + mask.unsqueeze(1).unsqueeze(0)).view(-1, self.heads, N, N)
        x = (self.softmax(attn) @ v).transpose(1, 2).reshape(B_, N, -1)
        return self.proj(x)

class SwinBlock(nn.Module):
    def __init__(self, dim, heads, res, window, shift):
        super().__init__()
        if res <= window: window, shift = res, 0   # timm _calc_window_shift
        self.window, self.shift = window, shift
        self.norm1 = nn.LayerNorm(dim); self.attn = WindowAttention(dim, heads, window); self.drop_path1 = nn.Identity()
        self.norm2 = nn.LayerNorm(dim); self.mlp = Mlp(dim, 4 * dim, False); self.drop_path2 = nn.Identity()
        mask = None
        if shift > 0:
            img = torch.zeros((1, res, res, 1)); cnt = 0
            for h in ((0, -window), (-window, -shift), (-shift, None)):
                for w in ((0, -window), (-window, -shift), (-shift, None)):
                    img[:, h[0]:h[1], w[0]:w[1], :] = cnt; cnt += 1
            mw = window_partition(img, window).view(-1, window * window)
            mask = mw.unsqueeze(1) - mw.unsqueeze(2)
            mask = mask.masked_fill(mask != 0, float(-100.0)).masked_fill(mask == 0, float(0.0))
        self.register_buffer('attn_mask', mask, persistent=False)
    def forward(self, x):
        B, H, W, C = x.shape
        s = x; x = self.norm1(x)
        if self.shift: x = torch.roll(x, (-self.shift, -self.shift), (1, 2))
        x = window_reverse(self.attn(window_partition(x, self.window).view(-1, self.window ** 2, C), self.attn_mask).view(-1, self.window, self.window, C), self.window, H, W)
        if self.shift: x = torch.roll(x, (self.shift, self.shift), (1, 2))
        x = (s + x).reshape(B, -1, C)
        x = x + self.mlp(self.norm2(x))
        return x.reshape(B, H, W, C)

class PatchMerging(nn.Module):
    def __init__(self, dim, out_dim):
        super().__init__(); self.norm = nn.LayerNorm(4 * dim); self.reduction = nn.Linear(4 * dim, out_dim, bias=False)
    def forward(self, x):
        B, H, W, C = x.shape
        return self.reduction(self.norm(x.reshape(B, H // 2, 2, W // 2, 2, C).permute(0, 1, 3, 4, 2, 5).flatten(3)))

class SwinStage(nn.Module):
    def __init__(self, dim, out_dim, res, depth, downsample, heads, window):
        super().__init__()
        self.downsample = PatchMerging(dim, out_dim) if downsample else nn.Identity()
        self.blocks = nn.Sequential(*[SwinBlock(out_dim, heads, res, window, 0 if i % 2 == 0 else window // 2) for i in range(depth)])
    def forward(self, x): return self.blocks(self.downsample(x))

class SwinPatchEmbed(nn.Module):
    def __init__(self, cin, d, p):
        super().__init__(); self.proj = nn.Conv2d(cin, d, p, stride=p); self.norm = nn.LayerNorm(d)
    def forward(self, x): return self.norm(self.proj(x).permute(0, 2, 3, 1))

class SwinHead(nn.Module):
    def __init__(self, c, n):
        super().__init__(); self.global_pool = nn.Identity(); self.drop = nn.Dropout(0.); self.fc = nn.Linear(c, n) if n else nn.Identity(); self.flatten = nn.Identity()
    def forward(self, x): return self.fc(x.mean((1, 2)))

class Swin(nn.Module):
    def __init__(self, img, patch, window, embed, depths, heads, num_classes=1000, in_chans=3):
        super().__init__()
        self.patch_embed = SwinPatchEmbed(in_chans, embed, patch)
        grid = img // patch; layers = []; dim = embed
        for i in range(len(depths)):
            out = embed * 2 ** i
            layers.append(SwinStage(dim, out, grid >> i, depths[i], i > 0, heads[i], window)); dim = out
        self.layers = nn.Sequential(*layers)
        self.norm = nn.LayerNorm(dim)
        self.head = SwinHead(dim, num_classes)
    def forward(self, x): return self.head(self.norm(self.layers(self.patch_embed(x))))

# ---- timm swin_transformer_v2.py (SwinTransformerV2 and its Stage, Block, WindowAttention, PatchMerging) ----
class WindowAttentionV2(nn.Module):
    def __init__(self, dim, heads, w):
        super().__init__(); self.heads = heads; self.area = w * w
        self.logit_scale = nn.Parameter(torch.log(10 * torch.ones((heads, 1, 1))))
        self.cpb_mlp = nn.Sequential(nn.Linear(2, 512, bias=True), nn.ReLU(inplace=True), nn.Linear(512, heads, bias=False))
        h = torch.arange(-(w - 1), w, dtype=torch.float32)
        table = torch.stack(torch.meshgrid([h, h], indexing='ij')).permute(1, 2, 0).contiguous().unsqueeze(0)
        table /= (w - 1); table *= 8
        table = torch.sign(table) * torch.log2(torch.abs(table) + 1.0) / math.log2(8)
        self.register_buffer('relative_coords_table', table, persistent=False)
        self.register_buffer('relative_position_index', relative_position_index(w), persistent=False)
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim)); self.register_buffer('k_bias', torch.zeros(dim), persistent=False); self.v_bias = nn.Parameter(torch.zeros(dim))
        self.attn_drop = nn.Dropout(0.); self.proj = nn.Linear(dim, dim); self.proj_drop = nn.Dropout(0.); self.softmax = nn.Softmax(-1)
    def forward(self, x, mask=None):
        B_, N, C = x.shape
        qkv = F.linear(x, self.qkv.weight, torch.cat((self.q_bias, self.k_bias, self.v_bias)))
        q, k, v = qkv.reshape(B_, N, 3, self.heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        attn = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1)
        attn = attn * torch.clamp(self.logit_scale, max=math.log(1. / 0.01)).exp()
        bias = self.cpb_mlp(self.relative_coords_table).view(-1, self.heads)[self.relative_position_index.view(-1)].view(self.area, self.area, -1)
        attn = attn + 16 * torch.sigmoid(bias.permute(2, 0, 1).contiguous()).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = (attn.view(-1, nw, self.heads, N, N) + mask.unsqueeze(1).unsqueeze(0)).view(-1, self.heads, N, N)
        x = (self.softmax(attn) @ v).transpose(1, 2).reshape(B_, N, C)
        return self.proj(x)

class SwinBlockV2(SwinBlock):
    # V1's windows and mask; V2's attention and res-post-norm (timm: attn, norm1, mlp, norm2).
    def __init__(self, dim, heads, res, window, shift):
        super().__init__(dim, heads, res, window, shift)
        self.attn = WindowAttentionV2(dim, heads, self.window)
    def forward(self, x):
        B, H, W, C = x.shape
        y = torch.roll(x, (-self.shift, -self.shift), (1, 2)) if self.shift else x
        y = window_reverse(self.attn(window_partition(y, self.window).view(-1, self.window ** 2, C), self.attn_mask).view(-1, self.window, self.window, C), self.window, H, W)
        if self.shift: y = torch.roll(y, (self.shift, self.shift), (1, 2))
        x = (x + self.norm1(y)).reshape(B, -1, C)
        x = x + self.norm2(self.mlp(x))
        return x.reshape(B, H, W, C)

class PatchMergingV2(nn.Module):
    def __init__(self, dim, out_dim):
        super().__init__(); self.reduction = nn.Linear(4 * dim, out_dim, bias=False); self.norm = nn.LayerNorm(out_dim)
    def forward(self, x):
        B, H, W, C = x.shape
        return self.norm(self.reduction(x.reshape(B, H // 2, 2, W // 2, 2, C).permute(0, 1, 3, 4, 2, 5).flatten(3)))

class SwinStageV2(nn.Module):
    def __init__(self, dim, out_dim, res, depth, downsample, heads, window):
        super().__init__()
        self.downsample = PatchMergingV2(dim, out_dim) if downsample else nn.Identity()
        self.blocks = nn.ModuleList([SwinBlockV2(out_dim, heads, res, window, 0 if i % 2 == 0 else window // 2) for i in range(depth)])
    def forward(self, x):
        x = self.downsample(x)
        for b in self.blocks: x = b(x)
        return x

class SwinV2(Swin):
    def __init__(self, img, patch, window, embed, depths, heads, num_classes=1000, in_chans=3):
        super().__init__(img, patch, window, embed, depths, heads, num_classes, in_chans)
        grid = img // patch; dim = embed; layers = []
        for i in range(len(depths)):
            out = embed * 2 ** i
            layers.append(SwinStageV2(dim, out, grid >> i, depths[i], i > 0, heads[i], window)); dim = out
        self.layers = nn.Sequential(*layers)

def build(name, num_classes=1000, in_chans=3):
    tv = {'resnet18': torchvision.models.resnet18, 'resnet34': torchvision.models.resnet34, 'resnet50': torchvision.models.resnet50,
          'resnext50_32x4d': torchvision.models.resnext50_32x4d}
    if name in tv: return tv[name](num_classes=num_classes)
    cfg = {
        'resnet26d': lambda: TResNetD([2,2,2,2], num_classes, in_chans),
        'resnet50d': lambda: TResNetD([3,4,6,3], num_classes, in_chans),
        'convnext_atto': lambda: ConvNeXt((2,2,6,2), (40,80,160,320), True, num_classes, in_chans),
        'convnext_femto': lambda: ConvNeXt((2,2,6,2), (48,96,192,384), True, num_classes, in_chans),
        'convnext_pico': lambda: ConvNeXt((2,2,6,2), (64,128,256,512), True, num_classes, in_chans),
        'convnext_nano': lambda: ConvNeXt((2,2,8,2), (80,160,320,640), True, num_classes, in_chans),
        'convnext_tiny': lambda: ConvNeXt((3,3,9,3), (96,192,384,768), False, num_classes, in_chans),
        'vit_tiny_patch16_224': lambda: ViT(192, 12, 3, 16, 224, num_classes, in_chans),
        'vit_small_patch16_224': lambda: ViT(384, 12, 6, 16, 224, num_classes, in_chans),
        'vit_tiny_patch4_32': lambda: ViT(192, 12, 3, 4, 32, num_classes, in_chans),
        'vit_small_patch4_32': lambda: ViT(384, 12, 6, 4, 32, num_classes, in_chans),
        'regnety_002': lambda: RegNet([24,56,152,368], [1,1,4,7], 8, num_classes, in_chans),
        'regnety_004': lambda: RegNet([48,104,208,440], [1,3,6,6], 8, num_classes, in_chans),
        'mobilenetv3_large_100': lambda: MobileNetV3(MNV3_LARGE, 1280, num_classes, in_chans),
        'mobilenetv3_small_100': lambda: MobileNetV3(MNV3_SMALL, 1024, num_classes, in_chans),
        'swin_tiny_patch4_window7_224': lambda: Swin(224, 4, 7, 96, (2, 2, 6, 2), (3, 6, 12, 24), num_classes, in_chans),
        'swin_tiny_patch2_window4_32': lambda: Swin(32, 2, 4, 96, (2, 2, 6, 2), (3, 6, 12, 24), num_classes, in_chans),
        'swinv2_tiny_window8_256': lambda: SwinV2(256, 4, 8, 96, (2, 2, 6, 2), (3, 6, 12, 24), num_classes, in_chans),
        'swinv2_tiny_patch2_window4_32': lambda: SwinV2(32, 2, 4, 96, (2, 2, 6, 2), (3, 6, 12, 24), num_classes, in_chans),
    }
    return cfg[name]()

NAMES = ['resnet18','resnet34','resnet50','resnet26d','resnet50d','resnext50_32x4d','convnext_atto','convnext_femto','convnext_pico','convnext_nano','convnext_tiny',
         'vit_tiny_patch16_224','vit_small_patch16_224','vit_tiny_patch4_32','vit_small_patch4_32','regnety_002','regnety_004',
         'mobilenetv3_large_100','mobilenetv3_small_100','swin_tiny_patch4_window7_224','swin_tiny_patch2_window4_32',
         'swinv2_tiny_window8_256','swinv2_tiny_patch2_window4_32']

KEY_LISTS = {
    'resnet18': 'torchvision.models.resnet18 (torchvision 0.14.1, Debian python3-torchvision)',
    'resnext50_32x4d': 'torchvision.models.resnext50_32x4d (torchvision 0.14.1, Debian python3-torchvision)',
    'resnet26d': 'timm resnet26d: ResNet(Bottleneck, (2,2,2,2), stem_width=32, stem_type="deep", avg_down=True)',
    'convnext_atto': 'timm convnext_atto: ConvNeXt(depths=(2,2,6,2), dims=(40,80,160,320), conv_mlp=True)',
    'convnext_tiny': 'timm convnext_tiny: ConvNeXt(depths=(3,3,9,3), dims=(96,192,384,768)) (Linear MLP)',
    'vit_tiny_patch16_224': 'timm vit_tiny_patch16_224: VisionTransformer(patch_size=16, embed_dim=192, depth=12, num_heads=3)',
    'regnety_004': 'timm regnety_004: RegNet(RegNetCfg(w0=48, wa=27.89, wm=2.09, group_size=8, depth=16, se_ratio=0.25))',
    'mobilenetv3_large_100': 'timm mobilenetv3_large_100: _gen_mobilenet_v3 (MobileNetV3, head_bias=True, num_features=1280)',
    'mobilenetv3_small_100': 'timm mobilenetv3_small_100: _gen_mobilenet_v3 (MobileNetV3, head_bias=True, num_features=1024)',
    'swin_tiny_patch4_window7_224': 'timm swin_tiny_patch4_window7_224: SwinTransformer(patch_size=4, window_size=7, embed_dim=96, depths=(2,2,6,2), num_heads=(3,6,12,24))',
    'swin_tiny_patch2_window4_32': 'timm SwinTransformer(img_size=32, patch_size=2, window_size=4, embed_dim=96, depths=(2,2,6,2), num_heads=(3,6,12,24)) (not a timm model name)',
    'swinv2_tiny_window8_256': 'timm swinv2_tiny_window8_256: SwinTransformerV2(img_size=256, window_size=8, embed_dim=96, depths=(2,2,6,2), num_heads=(3,6,12,24))',
    'swinv2_tiny_patch2_window4_32': 'timm SwinTransformerV2(img_size=32, patch_size=2, window_size=4, embed_dim=96, depths=(2,2,6,2), num_heads=(3,6,12,24)) (not a timm model name)',
}

# ---- Small-config outputs computed by PyTorch, for PyTorchOutputTests ----
# Narrow versions of the timm module trees above (same code paths, a few thousand parameters each), with random
# weights and BatchNorm statistics, an input and PyTorch's eval-mode output, written as safetensors (by the plain
# writer below: 8-byte little-endian header length, JSON header, raw data) to pytorch-outputs/NAME.safetensors.
SMALL = {
    'convnext_convmlp': lambda: ConvNeXt((1, 1, 2, 1), (8, 16, 24, 32), True, 10, 3),
    'convnext_linear': lambda: ConvNeXt((1, 1, 2, 1), (8, 16, 24, 32), False, 10, 3),
    'vit': lambda: ViT(32, 2, 2, 4, 16, 10, 3),
    'regnety': lambda: RegNet([8, 16, 24, 32], [1, 2, 1, 1], 8, 10, 3),
    # Every MobileNetV3 block form: depthwise-separable with SE and skip, inverted residual with stride and without,
    # with SE and hard-swish, the last ConvBnAct, and the efficient head.
    # Every Swin path: a 16-token-wide grid in 4×4 windows, shifted (mask) and not, patch merging, a stage of one window.
    'swin': lambda: Swin(32, 2, 4, 8, (2, 2, 1), (1, 2, 4), 10, 3),
    'mobilenetv3': lambda: MobileNetV3(_arch([[('ds', 1, 3, 1, 1, 16, True, False)],
                                              [('ir', 1, 3, 2, 3, 24, False, False), ('ir', 1, 5, 1, 2.5, 24, True, True)],
                                              [('cn', 1, 1, 1, 1, 48, False, True)]]), 64, 10, 3),
    # V2's cosine attention, continuous position bias and res-post-norm on the same windows (last: the earlier files keep their random draws).
    'swinv2': lambda: SwinV2(32, 2, 4, 8, (2, 2, 1), (1, 2, 4), 10, 3),
}
SMALL_INPUT = {'convnext_convmlp': 32, 'convnext_linear': 32, 'vit': 16, 'regnety': 32, 'mobilenetv3': 32, 'swin': 32, 'swinv2': 32}


def write_safetensors(path, tensors):
    import struct
    codes = {torch.float32: 'F32', torch.int64: 'I64'}
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for key, value in tensors.items():
        data = value.detach().contiguous().numpy().tobytes()
        header[key] = {'dtype': codes[value.dtype], 'shape': list(value.shape), 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def write_small_outputs(folder):
    import os
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    for name, make in SMALL.items():
        model = make()
        with torch.no_grad():
            for key, p in model.named_parameters():
                p.copy_(torch.randn_like(p) * 0.3 + (1.0 if key.endswith(('norm.weight', 'bn.weight', 'norm1.weight', 'norm2.weight', 'stem.1.weight')) else 0.0))
            for key, b in model.named_buffers():
                if key.endswith('running_mean'):
                    b.copy_(torch.randn_like(b) * 0.1)
                elif key.endswith('running_var'):
                    b.copy_(torch.rand_like(b) + 0.5)
        model.eval()
        size = SMALL_INPUT[name]
        x = torch.randn(2, 3, size, size)
        with torch.no_grad():
            y = model(x)
        tensors = dict(model.state_dict())
        tensors['input'] = x
        tensors['output'] = y
        write_safetensors(os.path.join(folder, name + '.safetensors'), tensors)
        print(name, sum(p.numel() for p in model.parameters()), 'parameters')


if __name__ == '__main__':
    import os
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for n in NAMES:
        print(n, sum(p.numel() for p in build(n).parameters()))
    for n, source in KEY_LISTS.items():
        sd = build(n).state_dict()
        with open(os.path.join(out, n + '.keys.txt'), 'w') as f:
            f.write(f'# State-dict keys of {n} at 1000 classes, 3 input channels: key TAB shape, in PyTorch order.\n')
            f.write(f'# Source: {source}.\n')
            f.write('# Generated by make_reference.py in this folder (see its docstring for where each module tree comes from).\n')
            for k, v in sd.items():
                f.write(f'{k}\t{",".join(str(d) for d in v.shape)}\n')
    write_small_outputs(os.path.join(out, 'pytorch-outputs'))
