#!/usr/bin/env python3
"""PyTorch-on-CPU reference for `ganlab bench --compare-torch`: times one GAN training step.

Set-up: `pip install torch` (the default wheel also pulls CUDA libraries; the script runs on the
CPU either way). Run from the repository's root folder; `make bench` does.

One training step, as ganlab's article configurations take it (experiments/spiral-article.yaml,
experiments/uniform-to-normal-article.yaml):
  D step  256 real + 256 generated samples (generated under no_grad), binary cross-entropy,
          Adam(lr 1e-3, betas (0.5, 0.999))
  G step  512 noise samples through G, then through D with D's parameters frozen, label 1
          (the non-saturating loss), Adam(lr 2e-4, betas (0.5, 0.999))
D's sigmoid and the cross-entropy are one BCEWithLogitsLoss on D's logit: the same loss, in the
numerically stable form PyTorch recommends.

Configurations (hidden layers are Linear + LeakyReLU(0.1)):
  spiral64, spiral128, spiral256, spiral512
         G 2 → 3 × width → 2, tanh output; D 2 → 3 × width → 1
  u2n    G 2 → 4 × 16 → 2, linear output; D 2 → 3 × 512 → 1
Variants:
  eager        plain modules, Adam with PyTorch's default (for-each) implementation
  eager_fused  plain modules, Adam(fused=True); the variant ganlab compares with
  compile      torch.compile on G and D, Adam(fused=True)
  compile_opt  as compile, with both optimizer steps compiled too
  compile_max  torch.compile(mode="max-autotune-no-cudagraphs") on G and D, Adam(fused=True)

Gradient penalties (--penalty, weight --penalty-weight, default 10) are added to the D loss as
ganlab's `train.penalty` adds them, with double backprop through torch.autograd.grad(
create_graph=True): r1 on the real rows, r2 on the generated rows, (gamma/2)·mean ‖∇ₓD‖²;
wgan-gp on x̂ = εx + (1 − ε)G(z), ε ~ U(0, 1) per pair, λ·mean (‖∇ₓD(x̂)‖ − 1)². The loss stays
the cross-entropy pair (ganlab allows every penalty with it).

FLOPs per step count the matrix products only, 2 per multiply-add, as ganlab's
TrainingBenchmark.flopsPerStep does: every layer's forward product; its weight-gradient product
where the weights train; its input-gradient product except for a network's first layer, unless
the gradient must reach the input (the frozen D in the G step passes it on to G).

Output protocol (read by GANLabBench's TorchReference): one human-readable line, then a last line
`JSON {...}` whose `steps_per_s.all` lists the steps per second of every timed repeat. A failure
during warm-up prints `FAILED ...` and a JSON line with a `failed` field, and exits with status 1.

Usage:
  python3 Benchmarks/torch_reference.py --config spiral512 --variant eager_fused
      [--threads 2] [--steps N] [--repeats 7] [--warmup 30] [--no-freeze]
      [--penalty none|r1|r2|wgan-gp] [--penalty-weight 10]
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
from torch import nn

from reference_common import CONFIGS, HALF_BATCH, LEAKY_SLOPE, flops_per_step, speed_fields, steal_ticks

VARIANTS = ["eager", "eager_fused", "compile", "compile_opt", "compile_max"]


# ---------------------------------------------------------------------------------------------
# Networks and data

def make_mlp(inputs, hidden, outputs, output_activation):
    """Linear + LeakyReLU for every hidden width, then a Linear output layer (tanh optional)."""
    layers, width = [], inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.LeakyReLU(LEAKY_SLOPE)]
        width = h
    layers.append(nn.Linear(width, outputs))
    if output_activation == "tanh":
        layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def noise(n):
    """Latents uniform on [-1, 1]²."""
    return torch.rand(n, 2) * 2.0 - 1.0


def real_samples(n, target):
    """n points of the target: a spiral (3 half-turns, radius 0.05 to 0.95, a little thickness)
    or the standard normal."""
    if target == "normal":
        return torch.randn(n, 2)
    u = noise(n)
    radius = 0.05 + 0.90 * (u[:, 0] + 1.0) / 2.0 + 0.05 * u[:, 1]
    angle = 3.0 * math.pi * u[:, 0]
    return torch.stack((radius * torch.cos(angle), radius * torch.sin(angle)), dim=1)


# ---------------------------------------------------------------------------------------------
# Training step

def gradient_penalty(D, real, generated, kind, weight):
    """The penalty term of the D loss, differentiable with respect to D's parameters."""
    if kind == "wgan-gp":
        epsilon = torch.rand(real.shape[0], 1)
        points = epsilon * real + (1.0 - epsilon) * generated
    else:
        points = real if kind == "r1" else generated
    points = points.detach().requires_grad_(True)
    (gradient,) = torch.autograd.grad(D(points).sum(), points, create_graph=True)
    norms = gradient.norm(dim=1)
    if kind == "wgan-gp":
        return weight * ((norms - 1.0) ** 2).mean()
    return weight / 2.0 * (norms ** 2).mean()


def make_train_step(config, variant, freeze, penalty="none", penalty_weight=10.0):
    """Builds G, D and their optimizers (seed 0) and returns a function running one step."""
    torch.manual_seed(0)
    generator = make_mlp(2, config["g_hidden"], 2, config["g_output"])
    discriminator = make_mlp(2, config["d_hidden"], 1, "linear")
    fused = True if variant != "eager" else None
    d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999), fused=fused)
    g_optimizer = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999), fused=fused)

    G, D = generator, discriminator
    if variant == "compile_max":
        G = torch.compile(generator, mode="max-autotune-no-cudagraphs")
        D = torch.compile(discriminator, mode="max-autotune-no-cudagraphs")
    elif variant in ("compile", "compile_opt"):
        G, D = torch.compile(generator), torch.compile(discriminator)
    d_update, g_update = d_optimizer.step, g_optimizer.step
    if variant == "compile_opt":
        d_update, g_update = torch.compile(d_optimizer.step), torch.compile(g_optimizer.step)

    loss = nn.BCEWithLogitsLoss()
    d_labels = torch.cat((torch.ones(HALF_BATCH, 1), torch.zeros(HALF_BATCH, 1)))
    g_labels = torch.ones(2 * HALF_BATCH, 1)
    d_parameters = list(discriminator.parameters())
    target = config["target"]

    def set_d_trainable(flag):
        for p in d_parameters:
            p.requires_grad_(flag)

    def train_step():
        # D step: real rows first, then generated rows.
        real = real_samples(HALF_BATCH, target)
        with torch.no_grad():
            generated = G(noise(HALF_BATCH))
        d_optimizer.zero_grad(set_to_none=True)
        d_loss = loss(D(torch.cat((real, generated))), d_labels)
        if penalty != "none":
            d_loss = d_loss + gradient_penalty(D, real, generated, penalty, penalty_weight)
        d_loss.backward()
        d_update()
        # G step through the frozen D.
        if freeze:
            set_d_trainable(False)
        g_optimizer.zero_grad(set_to_none=True)
        g_loss = loss(D(G(noise(2 * HALF_BATCH))), g_labels)
        g_loss.backward()
        g_update()
        if freeze:
            set_d_trainable(True)
        return d_loss, g_loss

    return train_step


# ---------------------------------------------------------------------------------------------
# Timing

def calibrate(train_step, seconds=3.0):
    """Steps in a repeat of about `seconds`, from the time of 5 steps (at least 20)."""
    start = time.perf_counter()
    for _ in range(5):
        train_step()
    per_step = (time.perf_counter() - start) / 5
    return max(20, int(seconds / per_step))


def parse_arguments():
    parser = argparse.ArgumentParser(description="Time one GAN training step in PyTorch on the CPU.")
    parser.add_argument("--config", choices=list(CONFIGS), default="spiral512")
    parser.add_argument("--variant", choices=VARIANTS, default="eager")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--steps", type=int, default=0, help="steps per timed repeat (0: about 3 s)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps first")
    parser.add_argument("--no-freeze", action="store_true",
                        help="keep D's parameters trainable during the G step")
    parser.add_argument("--penalty", choices=["none", "r1", "r2", "wgan-gp"], default="none",
                        help="gradient penalty added to the D loss (double backprop)")
    parser.add_argument("--penalty-weight", type=float, default=10.0, help="λ of wgan-gp, γ of r1/r2")
    return parser.parse_args()


def main():
    args = parse_arguments()
    torch.set_num_threads(args.threads)
    freeze = not args.no_freeze
    config = CONFIGS[args.config]
    flops, params_g, params_d = flops_per_step(config, freeze, args.penalty)
    train_step = make_train_step(config, args.variant, freeze, args.penalty, args.penalty_weight)

    start = time.perf_counter()
    try:
        for _ in range(args.warmup):
            d_loss, g_loss = train_step()
    except Exception as error:  # torch.compile can fail here; report it on the protocol's lines
        reason = f"{type(error).__name__}: {error}"
        print(f"FAILED during warm-up: {reason}")
        print("JSON " + json.dumps(dict(config=args.config, variant=args.variant, failed=reason[:2000])))
        sys.exit(1)
    warmup_seconds = time.perf_counter() - start

    steps = args.steps if args.steps > 0 else calibrate(train_step)
    speeds, steal = [], []
    for _ in range(args.repeats):
        steal_start = steal_ticks()
        start = time.perf_counter()
        for _ in range(steps):
            d_loss, g_loss = train_step()
        elapsed = time.perf_counter() - start
        steal.append(steal_ticks() - steal_start)
        speeds.append(steps / elapsed)

    d_loss, g_loss = float(d_loss.detach()), float(g_loss.detach())
    median = statistics.median(speeds)
    gflops = flops * median / 1e9
    print(f"{args.config:10s} {args.variant:12s} thr={args.threads} freeze={freeze} penalty={args.penalty} "
          f"steps/s median {median:8.2f} (min {min(speeds):8.2f} max {max(speeds):8.2f})  "
          f"ms/step {1e3 / median:8.3f}  GFLOP/step {flops / 1e9:.4f}  achieved {gflops:6.1f} GFLOP/s  "
          f"warm-up {warmup_seconds:.1f}s  steal {steal}  loss_d {d_loss:.3f} loss_g {g_loss:.3f}")
    result = dict(
        config=args.config, variant=args.variant, threads=args.threads, freeze=freeze, penalty=args.penalty,
        torch=torch.__version__, steps_per_repeat=steps, repeats=args.repeats,
        warmup_steps=args.warmup, warmup_s=warmup_seconds,
        **speed_fields(speeds, flops),
        params_g=params_g, params_d=params_d, steal_ticks_per_repeat=steal,
        final_loss_d=d_loss, final_loss_g=g_loss)
    print("JSON " + json.dumps(result))


if __name__ == "__main__":
    main()
