#!/usr/bin/env python3
"""JAX-on-CPU reference for `ganlab bench --compare-torch`: times one GAN training step.

Set-up: `pip install jax optax` (the CPU wheels). Run from the repository's root folder;
`make bench` does.

The training step is Benchmarks/torch_reference.py's, written the way a JAX user would write it:
the whole step — sampling the noise and the real data with jax.random, the D update and the G
update, both optax Adam steps — is one function compiled by `jax.jit`, with the training state
(both networks' parameters, both optimizers' moments and the PRNG key) donated to it
(`donate_argnums`), so XLA updates the state in place. One call runs one step.
  D step  256 real + 256 generated samples (generated without a gradient), binary cross-entropy
          on D's logit (optax.sigmoid_binary_cross_entropy, the stable form of PyTorch's
          BCEWithLogitsLoss; mean over the batch), optax.adam(1e-3, b1=0.5, b2=0.999)
  G step  512 noise samples through G, then through the D just updated, label 1 (the
          non-saturating loss); only G's parameters are differentiated, so D is frozen and XLA
          drops its weight gradients; optax.adam(2e-4, b1=0.5, b2=0.999)
Initialization as PyTorch's nn.Linear default: weights and biases uniform in ±1/√fan_in
(seeded with jax.random.PRNGKey(0), so the numbers differ from the PyTorch script's).

Configurations (hidden layers are Linear + LeakyReLU(0.1)), as in torch_reference.py:
  spiral64, spiral128, spiral256, spiral512
         G 2 → 3 × width → 2, tanh output; D 2 → 3 × width → 1
  u2n    G 2 → 4 × 16 → 2, linear output; D 2 → 3 × 512 → 1
Gradient penalties are not implemented here (torch_reference.py has them).

Threads: `--threads N` restricts the process to the first N CPUs it may run on
(os.sched_setaffinity) before JAX is imported, and sets PJRT_NPROC=N and NPROC=N, which size
XLA's CPU thread pools (jaxlib 0.10 reads them; without them the pools follow the affinity
mask). XLA_FLAGS gets `--xla_cpu_multi_thread_eigen=true` (XLA's default, stated explicitly).
The often-quoted `intra_op_parallelism_threads=N` in XLA_FLAGS is not an XLA flag: jaxlib 0.10
ignores it silently (it lacks the leading `--`; with it, XLA stops with "Unknown flag").

Timing: the first call traces, compiles and runs one step; its time is reported as
`compile_s` and excluded from every timed repeat. Then `--warmup` untimed steps, then the
repeats. JAX dispatches asynchronously, so every timed repeat ends with `block_until_ready` on
the state and the last losses (each step consumes the state of the one before, so that waits
for all of its steps); the Python loop's dispatch cost is part of the measured time, as the
eager loop's is in the PyTorch script.

FLOPs per step count the matrix products only, as torch_reference.py and ganlab's
TrainingBenchmark.flopsPerStep do (the same functions, copied).

Output protocol (read by GANLabBench's PythonReference): one human-readable line, then a last
line `JSON {...}` whose `steps_per_s.all` lists the steps per second of every timed repeat and
whose `compile_s` is the first call's time. A failure during compilation or warm-up prints
`FAILED ...` and a JSON line with a `failed` field, and exits with status 1.

`--check-steps N` trains N steps instead of timing (spiral configurations) and prints both
losses every N/10 steps and, at the end, quantiles of the distance from the origin of 4,096 G
samples against the spiral's own — a quick test that the step trains.

Usage:
  python3 Benchmarks/jax_reference.py --config spiral512
      [--threads 2] [--steps N] [--repeats 7] [--warmup 30] [--check-steps N]
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

from reference_common import CONFIGS, HALF_BATCH, LEAKY_SLOPE, flops_per_step, speed_fields, steal_ticks


def pin_threads(threads):
    """Restricts this process to its first `threads` CPUs and sizes XLA's thread pools to match.
    Must run before jax is imported. Returns the CPUs kept."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
        kept = allowed[:max(1, threads)]
        os.sched_setaffinity(0, kept)
    except (AttributeError, OSError):  # not Linux: leave the affinity alone
        kept = []
    os.environ["PJRT_NPROC"] = str(threads)
    os.environ["NPROC"] = str(threads)
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_cpu_multi_thread_eigen" not in flags:
        os.environ["XLA_FLAGS"] = (flags + " --xla_cpu_multi_thread_eigen=true").strip()
    return kept


# ---------------------------------------------------------------------------------------------
# Networks, data and the training step (jax is imported by main, after pin_threads)

def build(config, jax, jnp, optax):
    """The initial state (G, D, both optimizers' states, the PRNG key) and the jit-compiled step
    `step(state) -> (state, (d_loss, g_loss))`, which donates `state`."""

    def init_mlp(key, dims):
        params = []
        for fan_in, fan_out in zip(dims, dims[1:]):
            key, kw, kb = jax.random.split(key, 3)
            bound = 1.0 / math.sqrt(fan_in)
            params.append((jax.random.uniform(kw, (fan_in, fan_out), jnp.float32, -bound, bound),
                           jax.random.uniform(kb, (fan_out,), jnp.float32, -bound, bound)))
        return params

    def mlp(params, x, output_activation):
        for w, b in params[:-1]:
            x = jax.nn.leaky_relu(x @ w + b, LEAKY_SLOPE)
        w, b = params[-1]
        x = x @ w + b
        return jnp.tanh(x) if output_activation == "tanh" else x

    g_output, target = config["g_output"], config["target"]
    G = lambda params, z: mlp(params, z, g_output)
    D = lambda params, x: mlp(params, x, "linear")[:, 0]

    def noise(key, n):
        """Latents uniform on [-1, 1]²."""
        return jax.random.uniform(key, (n, 2), jnp.float32, -1.0, 1.0)

    def real_samples(key, n):
        """n points of the target: the spiral of torch_reference.py or the standard normal."""
        if target == "normal":
            return jax.random.normal(key, (n, 2), jnp.float32)
        u = noise(key, n)
        radius = 0.05 + 0.90 * (u[:, 0] + 1.0) / 2.0 + 0.05 * u[:, 1]
        angle = 3.0 * math.pi * u[:, 0]
        return jnp.stack((radius * jnp.cos(angle), radius * jnp.sin(angle)), axis=1)

    def bce(logits, label):
        return optax.sigmoid_binary_cross_entropy(logits, jnp.full_like(logits, label))

    d_optimizer = optax.adam(1e-3, b1=0.5, b2=0.999)
    g_optimizer = optax.adam(2e-4, b1=0.5, b2=0.999)

    def d_loss_fn(d_params, real, generated):
        # Real rows first, then generated rows; the mean over all 512 as BCEWithLogitsLoss takes it.
        logits = D(d_params, jnp.concatenate((real, generated)))
        return jnp.concatenate((bce(logits[:HALF_BATCH], 1.0), bce(logits[HALF_BATCH:], 0.0))).mean()

    def g_loss_fn(g_params, d_params, z):
        return bce(D(d_params, G(g_params, z)), 1.0).mean()

    def train_step(state):
        g_params, d_params, g_state, d_state, key = state
        key, k_real, k_fake, k_g = jax.random.split(key, 4)
        # D step.
        real = real_samples(k_real, HALF_BATCH)
        generated = jax.lax.stop_gradient(G(g_params, noise(k_fake, HALF_BATCH)))
        d_loss, d_grads = jax.value_and_grad(d_loss_fn)(d_params, real, generated)
        updates, d_state = d_optimizer.update(d_grads, d_state, d_params)
        d_params = optax.apply_updates(d_params, updates)
        # G step through the updated D, whose parameters are not differentiated.
        g_loss, g_grads = jax.value_and_grad(g_loss_fn)(g_params, d_params, noise(k_g, 2 * HALF_BATCH))
        updates, g_state = g_optimizer.update(g_grads, g_state, g_params)
        g_params = optax.apply_updates(g_params, updates)
        return (g_params, d_params, g_state, d_state, key), (d_loss, g_loss)

    key = jax.random.PRNGKey(0)
    key, kg, kd = jax.random.split(key, 3)
    g_params = init_mlp(kg, [2] + config["g_hidden"] + [2])
    d_params = init_mlp(kd, [2] + config["d_hidden"] + [1])
    state = (g_params, d_params, g_optimizer.init(g_params), d_optimizer.init(d_params), key)
    step = jax.jit(train_step, donate_argnums=0)
    helpers = dict(G=jax.jit(G), real_samples=jax.jit(real_samples, static_argnums=1),
                   noise=jax.jit(noise, static_argnums=1))
    return state, step, helpers


# ---------------------------------------------------------------------------------------------
# Timing

def parse_arguments():
    parser = argparse.ArgumentParser(description="Time one GAN training step in JAX (jit) on the CPU.")
    parser.add_argument("--config", choices=list(CONFIGS), default="spiral512")
    parser.add_argument("--threads", type=int, default=2,
                        help="CPUs (the first N allowed) and XLA thread-pool size")
    parser.add_argument("--steps", type=int, default=0, help="steps per timed repeat (0: about 3 s)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps after the first call")
    parser.add_argument("--check-steps", type=int, default=0,
                        help="train this many steps and print losses and sample radii instead of timing")
    return parser.parse_args()


def fail(args, reason):
    print(f"FAILED: {reason}")
    print("JSON " + json.dumps(dict(config=args.config, variant="jit", failed=reason[:2000])))
    sys.exit(1)


def check(args, config, state, step, helpers, jax, jnp):
    """Trains --check-steps steps, printing the losses, then compares the distance from the
    origin of G's samples with the target's (quantiles 10/50/90 %)."""
    every = max(1, args.check_steps // 10)
    for n in range(1, args.check_steps + 1):
        state, (d_loss, g_loss) = step(state)
        if n % every == 0 or n == args.check_steps:
            print(f"step {n:6d}  loss_d {float(d_loss):.4f}  loss_g {float(g_loss):.4f}")
    key = jax.random.PRNGKey(1)
    k_noise, k_real = jax.random.split(key)
    samples = helpers["G"](state[0], helpers["noise"](k_noise, 4096))
    real = helpers["real_samples"](k_real, 4096)
    radii = lambda x: jnp.quantile(jnp.linalg.norm(x, axis=1), jnp.array([0.1, 0.5, 0.9]))
    print("distance from the origin, quantiles 10/50/90 %:  G "
          + " ".join(f"{r:.3f}" for r in radii(samples).tolist())
          + "   target " + " ".join(f"{r:.3f}" for r in radii(real).tolist()))


def main():
    args = parse_arguments()
    cpus = pin_threads(args.threads)
    try:
        import jax
        import jax.numpy as jnp
        import jaxlib
        import optax
    except ImportError as error:
        fail(args, f"{error} (pip install jax optax)")

    config = CONFIGS[args.config]
    flops, params_g, params_d = flops_per_step(config)
    try:
        state, step, helpers = build(config, jax, jnp, optax)
        if args.check_steps > 0:
            return check(args, config, state, step, helpers, jax, jnp)
        start = time.perf_counter()
        state, losses = step(state)
        jax.block_until_ready((state, losses))
        compile_seconds = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(args.warmup):
            state, losses = step(state)
        jax.block_until_ready((state, losses))
        warmup_seconds = time.perf_counter() - start
    except Exception as error:  # report compilation or runtime errors on the protocol's lines
        fail(args, f"{type(error).__name__}: {error}")

    def run(n):
        nonlocal state, losses
        start = time.perf_counter()
        for _ in range(n):
            state, losses = step(state)
        jax.block_until_ready((state, losses))
        return time.perf_counter() - start

    steps = args.steps if args.steps > 0 else max(20, int(3.0 / (run(5) / 5)))
    speeds, steal = [], []
    for _ in range(args.repeats):
        steal_start = steal_ticks()
        elapsed = run(steps)
        steal.append(steal_ticks() - steal_start)
        speeds.append(steps / elapsed)

    d_loss, g_loss = (float(x) for x in losses)
    median = statistics.median(speeds)
    gflops = flops * median / 1e9
    print(f"{args.config:10s} jax-jit      thr={args.threads} cpus={','.join(map(str, cpus))} "
          f"steps/s median {median:8.2f} (min {min(speeds):8.2f} max {max(speeds):8.2f})  "
          f"ms/step {1e3 / median:8.3f}  GFLOP/step {flops / 1e9:.4f}  achieved {gflops:6.1f} GFLOP/s  "
          f"compile (first call) {compile_seconds:.2f}s  warm-up {warmup_seconds:.1f}s  steal {steal}  "
          f"loss_d {d_loss:.3f} loss_g {g_loss:.3f}")
    result = dict(
        config=args.config, variant="jit", threads=args.threads, cpus=cpus, freeze=True, penalty="none",
        jax=jax.__version__, jaxlib=jaxlib.__version__, optax=optax.__version__,
        device=str(jax.devices()[0]), xla_flags=os.environ.get("XLA_FLAGS", ""),
        steps_per_repeat=steps, repeats=args.repeats, warmup_steps=args.warmup, warmup_s=warmup_seconds,
        compile_s=compile_seconds,
        **speed_fields(speeds, flops),
        params_g=params_g, params_d=params_d, steal_ticks_per_repeat=steal,
        final_loss_d=d_loss, final_loss_g=g_loss)
    print("JSON " + json.dumps(result))


if __name__ == "__main__":
    main()
