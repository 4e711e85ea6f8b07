#!/usr/bin/env python3
"""The PyTorch CPU eager baseline of `npm run bench` (see bench/README.md).

Builds a workload's network in PyTorch from a JSON job written by bench/torch.ts
(layers, batch, optimizer, the generated trainer's initial values and the
synthetic batches as base64 little-endian float32/int32), then times training
steps: zero_grad, forward, cross-entropy, backward, optimizer step and
`loss.item()` (every step reads its loss back, as the generated step does).

  python3 bench/torch_step.py job.json [--rounds 3 --warmup 10 --steps 40]
      runs the rounds and prints one JSON result;
  python3 bench/torch_step.py --serve
      reads the job as the first line of stdin, then one command per line,
      {"warmup": W, "steps": S} -> one JSON line with each variant's step times
      and losses for that round; EOF ends it. bench/torch.ts uses this so the
      PyTorch rounds interleave with the tfjs ones under the same load.

Layouts: nnc keeps a dense weight as [in, out] (torch: [out, in]), a conv
kernel as [kh, kw, cin, cout] (torch: [cout, cin, kh, kw]) and images as NHWC
(torch: NCHW). A dense layer after flattening an NCHW map sees its inputs in
(c, h, w) order where nnc's flatten gives (h, w, c), so its rows are permuted.
"""
import argparse
import base64
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def f32(b64, shape):
    return torch.frombuffer(bytearray(base64.b64decode(b64)), dtype=torch.float32).reshape(shape)


def i64(b64):
    return torch.frombuffer(bytearray(base64.b64decode(b64)), dtype=torch.int32).long()


class Net(torch.nn.Module):
    """The workload's layer list over torch parameters in torch layouts."""

    def __init__(self, layers, input_shape, params):
        super().__init__()
        self.layers = layers
        self.weights = torch.nn.ParameterList()
        shape = list(input_shape)  # one example, nnc layout (NHWC for images)
        k = 0
        for layer in layers:
            kind = layer["kind"]
            if kind in ("dense", "conv"):
                w = f32(params[k]["f32"], params[k]["shape"])
                b = f32(params[k + 1]["f32"], params[k + 1]["shape"])
                k += 2
                if kind == "conv":
                    w = w.permute(3, 2, 0, 1)  # [kh, kw, cin, cout] -> [cout, cin, kh, kw]
                    shape = shape[:2] + [layer["filters"]]
                else:
                    if len(shape) == 3:  # flattened from an NCHW map: rows (h, w, c) -> (c, h, w)
                        h, wd, c = shape
                        w = w.reshape(h, wd, c, -1).permute(2, 0, 1, 3).reshape(h * wd * c, -1)
                    w = w.t()  # [in, out] -> [out, in]
                    shape = [layer["units"]]
                self.weights.append(torch.nn.Parameter(w.contiguous().clone()))
                self.weights.append(torch.nn.Parameter(b.clone()))
            elif kind == "pool":
                shape = [shape[0] // 2, shape[1] // 2, shape[2]]
            elif kind == "flatten":
                # Keep the unflattened shape: the next dense layer permutes its rows from it.
                pass
        self.images = len(input_shape) == 3

    def forward(self, x):
        k = 0
        for layer in self.layers:
            kind = layer["kind"]
            if kind == "dense":
                x = F.linear(x, self.weights[k], self.weights[k + 1])
                k += 2
            elif kind == "conv":
                x = F.conv2d(x, self.weights[k], self.weights[k + 1], padding=1)
                k += 2
            elif kind == "pool":
                x = F.max_pool2d(x, 2)
            elif kind == "flatten":
                x = torch.flatten(x, 1)
            elif kind == "dropout":
                x = F.dropout(x, layer["rate"], self.training)
            if layer.get("relu"):
                x = F.relu(x)
        return x

    def kernels(self):
        return [w for w in self.weights if w.dim() >= 2]


def make_optimizer(opt, params, variant):
    """`default` is what torch.optim picks with no flags; `fused` asks for the fused CPU kernel."""
    flags = {"fused": True} if variant == "fused" else {}
    if opt["kind"] == "sgd":
        return torch.optim.SGD(params, lr=opt["lr"], **flags)
    return torch.optim.Adam(params, lr=opt["lr"], betas=(opt["beta1"], opt["beta2"]), eps=opt["epsilon"], **flags)


def implementation(optimizer):
    """Which update path torch.optim runs: fused, foreach, or the per-tensor for-loop."""
    group = optimizer.param_groups[0]
    if group.get("fused"):
        return "fused"
    if group.get("foreach"):
        return "foreach"
    if group.get("foreach") is None:
        # Left to torch.optim: it takes foreach only for tensors on CUDA-like devices.
        from torch.optim.optimizer import _default_to_fused_or_foreach

        _, foreach = _default_to_fused_or_foreach(list(group["params"]), differentiable=False, use_fused=False)
        return "foreach" if foreach else "for-loop"
    return "for-loop"


class Variant:
    def __init__(self, job, name):
        self.name = name
        self.net = Net(job["layers"], job["inputShape"], job["params"])
        self.net.train()
        self.optimizer = make_optimizer(job["optimizer"], self.net.parameters(), name)
        self.l2 = job["l2"]
        self.impl = implementation(self.optimizer)
        self.next = 0

    def step(self, batches):
        x, y = batches[self.next % len(batches)]
        self.next += 1
        self.optimizer.zero_grad()
        loss = F.cross_entropy(self.net(x), y)
        if self.l2 > 0:
            loss = loss + self.l2 * sum((w * w).sum() for w in self.net.kernels())
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def round(self, batches, warmup, steps):
        ms, losses = [], []
        for i in range(warmup + steps):
            t0 = time.perf_counter()
            loss = self.step(batches)
            t1 = time.perf_counter()
            losses.append(loss)
            if i >= warmup:
                ms.append((t1 - t0) * 1000)
        return {"ms": ms, "losses": losses}


class Session:
    def __init__(self, job):
        threads = job.get("threads") or os.cpu_count() or 1
        torch.set_num_threads(threads)
        shape = [job["batch"]] + list(job["inputShape"])
        self.batches = []
        for b in job["batches"]:
            x = f32(b["x"], shape)
            if len(shape) == 4:
                x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
            self.batches.append((x, i64(b["labels"])))
        self.variants = []
        for name in job.get("variants", ["default"]):
            try:
                self.variants.append(Variant(job, name))
            except (RuntimeError, TypeError, ValueError) as e:  # e.g. no fused kernel for this optimizer in this torch
                print(f"torch_step: variant {name} unavailable: {e}", file=sys.stderr)
        self.info = {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "implementations": {v.name: v.impl for v in self.variants},
        }

    def round(self, r, warmup, steps):
        # Rotate the variants' order each round, as bench/run.ts does for its methods.
        order = self.variants[r % len(self.variants):] + self.variants[: r % len(self.variants)]
        return {v.name: v.round(self.batches, warmup, steps) for v in order}


def summarise(session, rounds):
    out = dict(session.info, variants={})
    for v in session.variants:
        per = [r[v.name] for r in rounds]
        ms = [x for r in per for x in r["ms"]]
        losses = [x for r in per for x in r["losses"]]
        out["variants"][v.name] = {
            "msMedian": statistics.median(ms),
            "roundMedians": [statistics.median(r["ms"]) for r in per],
            "firstLoss": losses[0],
            "lastLoss": losses[-1],
        }
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("job", nargs="?", help="job JSON file (default: stdin)")
    ap.add_argument("--serve", action="store_true", help="job on stdin's first line, then one round per command line")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--steps", type=int, default=40)
    a = ap.parse_args()
    if a.serve:
        session = Session(json.loads(sys.stdin.readline()))
        print(json.dumps(session.info), flush=True)
        r = 0
        for line in sys.stdin:
            cmd = json.loads(line)
            print(json.dumps(session.round(r, cmd["warmup"], cmd["steps"])), flush=True)
            r += 1
        return
    with open(a.job) if a.job else sys.stdin as f:
        session = Session(json.load(f))
    rounds = [session.round(r, a.warmup, a.steps) for r in range(a.rounds)]
    print(json.dumps(summarise(session, rounds)))


if __name__ == "__main__":
    main()
