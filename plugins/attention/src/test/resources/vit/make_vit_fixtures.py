"""PyTorch reference outputs for the ViT layers of plugins/attention (dev.dendrite.attention.vit).

Run from this directory with /usr/bin/python3 (torch 1.13; timm is not installed, so its PatchEmbed and the
class-token / position-embedding lines of its VisionTransformer are written out below as timm writes them).
Writes patch_embedding.npz: the state_dict under timm's names (proj.weight, proj.bias, cls_token, pos_embed),
the input x and the outputs with the class token (y_cls) and without it (y_plain, its own pos_embed_plain),
and the two poolings of y_cls (pool_cls, pool_mean).
"""
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)  # the Java test runs in float64: compare at ~1e-12, not float32 rounding
C, H, W, P, D, N = 2, 8, 6, 2, 5, 3
T = (H // P) * (W // P)


class PatchEmbed(nn.Module):  # timm.layers.PatchEmbed, flatten=True
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(C, D, kernel_size=P, stride=P)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # [N, T, D], patches row by row


embed = PatchEmbed()
cls_token = torch.randn(1, 1, D) * 0.5
pos_embed = torch.randn(1, T + 1, D) * 0.5
pos_embed_plain = torch.randn(1, T, D) * 0.5
x = torch.randn(N, C, H, W)
with torch.no_grad():
    z = embed(x)
    y_cls = torch.cat((cls_token.expand(N, -1, -1), z), dim=1) + pos_embed
    y_plain = z + pos_embed_plain

arrays = {
    "proj.weight": embed.proj.weight, "proj.bias": embed.proj.bias, "cls_token": cls_token, "pos_embed": pos_embed,
    "pos_embed_plain": pos_embed_plain, "x": x, "y_cls": y_cls, "y_plain": y_plain,
    "pool_cls": y_cls[:, 0], "pool_mean": y_cls.mean(dim=1),
}
np.savez("patch_embedding.npz", **{k: v.detach().numpy().astype(np.float64) for k, v in arrays.items()})
print({k: tuple(v.shape) for k, v in arrays.items()})
