"""What the two reference scripts share (Benchmarks/torch_reference.py, Benchmarks/jax_reference.py):
the configurations, the batch, the FLOP count of a step, and the hypervisor's steal counter.
They import it from their own folder; it has no third-party imports."""

import statistics

HALF_BATCH = 256  # real (and generated) samples per D step; G's step takes twice as many
LEAKY_SLOPE = 0.1


def spiral_config(width):
    return dict(g_hidden=[width] * 3, g_output="tanh", d_hidden=[width] * 3, target="spiral")


CONFIGS = {
    "spiral64": spiral_config(64),
    "spiral128": spiral_config(128),
    "spiral256": spiral_config(256),
    "spiral512": spiral_config(512),
    "u2n": dict(g_hidden=[16] * 4, g_output="linear", d_hidden=[512] * 3, target="normal"),
}


# ---------------------------------------------------------------------------------------------
# FLOP count

def product_flops(dims, batch, input_gradient, weight_gradient):
    """(forward, backward) FLOPs of the matrix products of an MLP with layer sizes `dims`."""
    forward = backward = 0
    for layer, (fan_in, fan_out) in enumerate(zip(dims, dims[1:])):
        flops = 2 * batch * fan_in * fan_out
        forward += flops
        if weight_gradient:
            backward += flops  # dW = Xᵀ·δ
        if layer > 0 or input_gradient:
            backward += flops  # δ_in = δ·Wᵀ
    return forward, backward


def penalty_flops(d_dims, rows):
    """Matrix-product FLOPs of a gradient penalty by double backprop over the hidden layers of a
    LeakyReLU D: the forward this script repeats for every penalty, ∇ₓD, and the second
    backward's two products per layer (ganlab's TrainingBenchmark.penaltyFlops counts the same
    for WGAN-GP and skips the forward for R1 and R2, whose rows it has already forwarded)."""
    hidden = sum(2 * rows * a * b for a, b in zip(d_dims, d_dims[1:-1]))
    return 4 * hidden


def flops_per_step(config, freeze=True, penalty="none"):
    """Matrix-product FLOPs of one training step, and the two networks' parameter counts."""
    g_dims = [2] + config["g_hidden"] + [2]
    d_dims = [2] + config["d_hidden"] + [1]
    batch = 2 * HALF_BATCH
    generate, _ = product_flops(g_dims, HALF_BATCH, False, False)   # D step's generated half
    d_step = sum(product_flops(d_dims, batch, False, True))         # D step on real + generated
    g_step = sum(product_flops(g_dims, batch, False, True))         # G step: G forward, backward
    through_d = sum(product_flops(d_dims, batch, True, not freeze))  # G step: through D to its input
    penalized = penalty_flops(d_dims, HALF_BATCH) if penalty != "none" else 0
    parameters = lambda dims: sum(a * b + b for a, b in zip(dims, dims[1:]))
    return generate + d_step + g_step + through_d + penalized, parameters(g_dims), parameters(d_dims)


# ---------------------------------------------------------------------------------------------
# Machine

def steal_ticks():
    """Ticks the hypervisor has taken from this machine (the aggregate cpu line of /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8])  # cpu user nice system idle iowait irq softirq steal
    except (OSError, IndexError, ValueError):
        return 0


# ---------------------------------------------------------------------------------------------
# Output

def speed_fields(speeds, flops):
    """The JSON line's speed fields from every timed repeat's steps/s and the FLOPs of a step."""
    median = statistics.median(speeds)
    return dict(
        steps_per_s=dict(median=median, min=min(speeds), max=max(speeds), all=speeds),
        ms_per_step=dict(median=1e3 / median, min=1e3 / max(speeds), max=1e3 / min(speeds)),
        flops_per_step_exact=flops, gflops_achieved_median=flops * median / 1e9)
